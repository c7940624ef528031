package dev.pig.core.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.pig.core.diag.PigException;

/**
 * Runs the host's tools with argument lists (never through a shell) and checks, before anything
 * is touched, that the host can run a sandbox at all.
 */
public final class Tools {
    /** Every tool the sandbox runs, and the Debian package that has it. */
    static final Map<String, String> PACKAGE_OF = new LinkedHashMap<>();

    static {
        PACKAGE_OF.put("debootstrap", "debootstrap");
        PACKAGE_OF.put("systemd-nspawn", "systemd-container");
        PACKAGE_OF.put("tinyproxy", "tinyproxy");
        PACKAGE_OF.put("ip", "iproute2");
        PACKAGE_OF.put("ssh", "openssh-client");
        PACKAGE_OF.put("ssh-keygen", "openssh-client");
        PACKAGE_OF.put("mount", "mount");
        PACKAGE_OF.put("umount", "mount");
        PACKAGE_OF.put("setsid", "util-linux");
    }

    /** The packages a sandbox host needs, in the order the fix names them. */
    public static final List<String> PACKAGES =
            List.of("debootstrap", "systemd-container", "tinyproxy", "iproute2", "openssh-client");

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

    /** Runs a tool to completion within a timeout in seconds, capturing its output. */
    public static Result run(List<String> command, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("pig-sandbox-", ".out");
            Path err = Files.createTempFile("pig-sandbox-", ".err");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    return new Result(124, Files.readString(out, StandardCharsets.UTF_8),
                            "timed out after " + timeoutSeconds + " s\n" + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
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
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
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

    /** The fix for missing sandbox packages: the exact command to run. */
    public static String installCommand(List<String> packages) {
        return "apt-get install -y " + String.join(" ", packages);
    }

    /**
     * Fails with {@link PigException.Kind#UNAVAILABLE} and the exact fix unless this is Linux, we
     * are root and every tool is installed.
     */
    public static void requireHost(List<String> tools) {
        String os = System.getProperty("os.name", "");
        if (!os.equals("Linux")) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "the sandbox needs Linux (systemd-nspawn,"
                    + " network namespaces, overlayfs); this is " + os + ". Run pig sandbox on a Debian 12 machine or VM.");
        }
        int uid;
        try {
            uid = HostParsers.uid(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException e) {
            uid = -1;
        }
        if (uid != 0) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "the sandbox needs root (it mounts overlays,"
                    + " creates network namespaces and boots containers). Run it as root, e.g. sudo pig sandbox ...");
        }
        List<String> missing = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        for (String t : tools) {
            if (!onPath(t)) {
                missing.add(t);
                packages.add(PACKAGE_OF.getOrDefault(t, t));
            }
        }
        if (!missing.isEmpty()) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "the sandbox needs " + String.join(", ", missing)
                    + ", which " + (missing.size() == 1 ? "is" : "are") + " not installed. Fix: "
                    + installCommand(List.copyOf(packages)) + " (or run: pig sandbox up --install-deps)");
        }
    }

    /** Installs the sandbox's packages with apt-get, attached to this terminal. */
    public static void installDeps() {
        requireHost(List.of());
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y"));
        cmd.addAll(PACKAGES);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new PigException(PigException.Kind.FAILED, "`" + String.join(" ", cmd) + "` failed (exit " + code + ")");
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "cannot run apt-get: " + e.getMessage()
                    + ". Install the packages yourself: " + installCommand(PACKAGES));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted while installing packages");
        }
    }
}
