package dev.pig.sandbox.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Processes the sandbox started: found by recorded PID or by their command line, and stopped with
 * their children.
 */
public final class Procs {
    /** How long a node has for its orderly poweroff before what is left of it is killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private Procs() {
    }

    /** The command line of a live process, arguments separated by spaces; empty if it is gone. */
    public static Optional<String> cmdline(long pid) {
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

    public static Optional<String> comm(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Live processes named {@code comm} whose command line contains {@code marker}. */
    public static List<Long> find(String comm, String marker) {
        return pids().stream().filter(pid -> comm(pid).filter(comm::equals).isPresent()
                && cmdline(pid).filter(c -> c.contains(marker)).isPresent()).toList();
    }

    /** Every process of the host, by {@code /proc}; none without a {@code /proc}. */
    private static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(n));
                }
            }
        } catch (IOException e) {
            // no /proc: nothing of ours can be running
        }
        return pids;
    }

    /** The PID recorded in a file, if that process is alive and still has the marker in its command line. */
    public static Optional<Long> recorded(Path pidFile, String marker) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<String> c = cmdline(pid);
            // a process in the middle of an exec (setsid, then sh, then the program) shows an
            // empty command line for a moment: read again rather than take it for gone
            for (int i = 0; c.isEmpty() && i < 50 && execing(pid); i++) {
                Tools.sleep(10);
                c = cmdline(pid);
            }
            return c.filter(s -> s.contains(marker)).map(s -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Alive, not a zombie, yet with no command line: between the two halves of an exec. */
    private static boolean execing(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return !state.startsWith("Z") && !state.startsWith("X");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Processes of containers whose disk is an overlay with its upper dir under {@code upperPrefix}:
     * a container whose systemd-nspawn was killed outright keeps running without it, holding its
     * disk and network namespace, and only its own environment and mounts still say whose it is.
     */
    public static List<Long> containerProcesses(String upperPrefix) {
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            Path p = Path.of("/proc", Long.toString(pid));
            try {
                String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                if (("\0" + env).contains("\0container=systemd-nspawn\0")
                        && Files.readString(p.resolve("mountinfo")).contains("upperdir=" + upperPrefix)) {
                    found.add(pid);
                }
            } catch (IOException e) {
                // gone, or a kernel thread
            }
        }
        return found;
    }

    public static boolean alive(long pid) {
        return cmdline(pid).isPresent();
    }

    /** SIGTERM (a node's orderly poweroff), then SIGKILL to what is left, with its children. */
    public static void stop(List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        long nextTerm = 0;
        while (handles.stream().anyMatch(h -> alive(h.pid())) && System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextTerm) {
                // again every few seconds: nspawn passes each SIGTERM on as a poweroff request, and
                // a systemd still starting up may not have been listening for the first one
                handles.stream().filter(h -> alive(h.pid())).forEach(ProcessHandle::destroy);
                nextTerm = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            }
            Tools.sleep(200);
        }
        for (ProcessHandle h : handles) {
            if (alive(h.pid())) {
                List<ProcessHandle> tree = h.descendants().toList();
                h.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        }
        // then give the parent (this JVM, or init for nodes an earlier pig started) a moment to reap
        long reapDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (handles.stream().anyMatch(h -> Files.exists(Path.of("/proc", Long.toString(h.pid()))))
                && System.nanoTime() < reapDeadline) {
            Tools.sleep(100);
        }
    }

    /** SIGKILL, for what has no orderly way down; waits until the processes are gone. */
    public static void kill(List<Long> pids) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        handles.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (handles.stream().anyMatch(h -> alive(h.pid())) && System.nanoTime() < deadline) {
            Tools.sleep(100);
        }
    }
}
