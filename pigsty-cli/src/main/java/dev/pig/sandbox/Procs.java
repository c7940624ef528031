package dev.pig.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Processes the sandbox started, found by recorded PID or by their command line. */
final class Procs {
    private Procs() {
    }

    /** The command line of a live process, arguments separated by spaces; empty if it is gone. */
    static Optional<String> cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (b.length == 0) {
                return Optional.empty(); // a zombie or a kernel thread
            }
            return Optional.of(new String(b, StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> comm(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Live processes named {@code comm} whose command line contains {@code marker}. */
    static List<Long> find(String comm, String marker) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(n);
                if (comm(pid).filter(comm::equals).isPresent()
                        && cmdline(pid).filter(c -> c.contains(marker)).isPresent()) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            // no /proc: nothing of ours can be running
        }
        return pids;
    }

    /** The PID recorded in a file, if that process is alive and still has the marker in its command line. */
    static Optional<Long> recorded(Path pidFile, String marker) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return cmdline(pid).filter(c -> c.contains(marker)).map(c -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Processes of containers whose disk is an overlay with its upper dir under {@code upperPrefix}:
     * a container whose systemd-nspawn was killed outright keeps running without it, holding its
     * disk and network namespace, and only its own environment and mounts still say whose it is.
     */
    static List<Long> containerProcesses(String upperPrefix) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                    if (!("\0" + env).contains("\0container=systemd-nspawn\0")) {
                        continue;
                    }
                    if (Files.readString(p.resolve("mountinfo")).contains("upperdir=" + upperPrefix)) {
                        pids.add(Long.parseLong(n));
                    }
                } catch (IOException e) {
                    // gone, or a kernel thread
                }
            }
        } catch (IOException e) {
            // no /proc: nothing of ours can be running
        }
        return pids;
    }

    static boolean alive(long pid) {
        return cmdline(pid).isPresent();
    }
}
