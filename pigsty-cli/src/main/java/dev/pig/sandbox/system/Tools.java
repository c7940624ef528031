package dev.pig.sandbox.system;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.pig.core.diag.PigException;

/**
 * Runs the host's tools with argument lists (never through a shell); {@link HostCheck} says
 * beforehand whether they are there.
 */
public final class Tools {
    /** Every tool the sandbox runs, and the Debian package that has it. */
    static final Map<String, String> PACKAGE_OF = Map.of(
            "debootstrap", "debootstrap",
            "systemd-nspawn", "systemd-container",
            "tinyproxy", "tinyproxy",
            "ip", "iproute2",
            "ssh", "openssh-client",
            "ssh-keygen", "openssh-client",
            "mount", "mount",
            "umount", "mount",
            "setsid", "util-linux");

    /** What one run of a tool printed and returned. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private Tools() {
    }

    /** Runs a tool to completion, capturing its output. */
    public static Result run(List<String> command) {
        return run(command, 600);
    }

    /**
     * Runs a tool to completion within a timeout in seconds, capturing its output. The output
     * goes to files, not pipes: a tool that starts a daemon (a node's nspawn, the proxy) leaves it
     * holding them, and a pipe would not end before the daemon does. The files are read through
     * descriptors of pig's own, and the tool gets them through those descriptors too
     * ({@code /proc/self/fd/N}, opened by pig as it starts the tool), so their names go before
     * the tool starts: a pig killed while the tool runs, or as it starts it, leaves none behind
     * (only the moment between making the files and opening them is left, not the tool's run).
     */
    public static Result run(List<String> command, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("pig-sandbox-", ".out");
            Path err = Files.createTempFile("pig-sandbox-", ".err");
            try (FileChannel outRead = FileChannel.open(out, StandardOpenOption.READ);
                 FileChannel errRead = FileChannel.open(err, StandardOpenOption.READ)) {
                Map<Path, File> held = held(List.of(out, err));
                File outFile = held.getOrDefault(out, out.toFile());
                File errFile = held.getOrDefault(err, err.toFile());
                if (held.size() == 2) {
                    Files.delete(out);
                    Files.delete(err);
                }
                Process p = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(outFile)
                        .redirectError(errFile)
                        .start();
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    return new Result(124, read(outRead), "timed out after " + timeoutSeconds + " s\n" + read(errRead));
                }
                return new Result(p.exitValue(), read(outRead), read(errRead));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted while running " + String.join(" ", command));
        }
    }

    /**
     * The {@code /proc/self/fd/N} of each file this process holds open, by its path; empty
     * where there is no such directory (then the tool opens the files by name).
     */
    static Map<Path, File> held(List<Path> files) throws IOException {
        Map<Path, Path> wanted = new java.util.HashMap<>();
        for (Path f : files) {
            wanted.put(f.toRealPath(), f);
        }
        Map<Path, File> out = new java.util.HashMap<>();
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return out;
        }
        try (java.util.stream.Stream<Path> list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    Path f = wanted.get(Files.readSymbolicLink(fd));
                    if (f != null) {
                        out.put(f, fd.toFile());
                    }
                } catch (IOException e) {
                    // a descriptor closed meanwhile (the listing's own): not one of these
                }
            }
        }
        return out;
    }

    /** What a tool wrote to an output file, from its start. */
    private static String read(FileChannel c) throws IOException {
        c.position(0);
        return new String(java.nio.channels.Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Runs a tool and fails with its stderr unless it succeeds. */
    public static Result check(List<String> command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new PigException(PigException.Kind.FAILED, "`" + String.join(" ", command) + "` failed (exit "
                    + r.exit() + "): " + (r.err().isBlank() ? r.out() : r.err()).strip());
        }
        return r;
    }

    /** Runs a tool attached to this terminal and returns its exit code. */
    public static int interactive(List<String> command) {
        return interactive(command, Map.of());
    }

    /** Runs a tool attached to this terminal, with these extra environment variables. */
    public static int interactive(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            pb.environment().putAll(env);
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted while running " + command.get(0));
        }
    }

    /** Whether an executable of this name is on the PATH (or the usual sbin directories). */
    static boolean onPath(String tool) {
        Set<String> dirs = new LinkedHashSet<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Waits, as every polling loop of the sandbox does; an interrupt ends the command. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted");
        }
    }
}
