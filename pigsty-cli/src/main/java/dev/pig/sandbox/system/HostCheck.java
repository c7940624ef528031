package dev.pig.sandbox.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.pig.core.diag.PigException;

/**
 * Whether this machine can run a sandbox, and what to install if it cannot, decided from three
 * things only: the OS name, the effective uid and which tools are on the PATH. Nothing here
 * touches the machine, so every answer can be tested with made-up values.
 *
 * @param osName    {@code os.name}, {@code Linux} on Linux
 * @param uid       the effective user id, -1 if unknown
 * @param installed whether a tool of that name is installed (an executable on the PATH)
 */
public record HostCheck(String osName, int uid, Predicate<String> installed) {

    /** This machine, as the JVM and {@code /proc/self/status} see it. */
    public static HostCheck ofThisMachine() {
        int uid;
        try {
            uid = HostParsers.uid(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException e) {
            uid = -1;
        }
        return new HostCheck(System.getProperty("os.name", ""), uid, Tools::onPath);
    }

    public boolean linux() {
        return osName.equals("Linux");
    }

    public boolean root() {
        return uid == 0;
    }

    /** The tools of this list that are not installed, in its order. */
    public List<String> missing(List<String> tools) {
        return tools.stream().filter(t -> !installed.test(t)).distinct().toList();
    }

    /** The Debian packages that have the missing tools of this list, each once, in its order. */
    public List<String> missingPackages(List<String> tools) {
        Set<String> packages = new LinkedHashSet<>();
        for (String t : missing(tools)) {
            packages.add(Tools.PACKAGE_OF.getOrDefault(t, t));
        }
        return List.copyOf(packages);
    }

    /**
     * Fails with {@link PigException.Kind#UNAVAILABLE} and the exact fix unless this is Linux, we
     * are root and every tool is installed. Not being root and missing tools are reported together,
     * so one round of fixes is enough.
     */
    public void require(List<String> tools) {
        if (!linux()) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "the sandbox needs Linux (systemd-nspawn,"
                    + " network namespaces, overlayfs); this is " + osName + ". Run pig sandbox on a Debian 12 machine or VM.");
        }
        List<String> problems = new ArrayList<>();
        if (!root()) {
            problems.add("the sandbox needs root (it mounts overlays, creates network namespaces and boots"
                    + " containers). Run it as root, e.g. sudo pig sandbox ...");
        }
        List<String> missing = missing(tools);
        if (!missing.isEmpty()) {
            problems.add("the sandbox needs " + String.join(", ", missing) + ", which "
                    + (missing.size() == 1 ? "is" : "are") + " not installed. Fix: " + (root() ? "" : "sudo ")
                    + installCommand(missingPackages(tools)) + " (or run: pig sandbox up --install-deps)");
        }
        if (!problems.isEmpty()) {
            throw new PigException(PigException.Kind.UNAVAILABLE, String.join("\nError: ", problems));
        }
    }

    /** The fix for missing sandbox packages: the exact command to run. */
    public static String installCommand(List<String> packages) {
        return "apt-get install -y " + String.join(" ", packages);
    }

    /**
     * The commands {@code --install-deps} runs for these tools: none when all are installed, else
     * {@code apt-get update} and then the install of the packages that have the missing ones. The
     * update always comes first: a fresh machine may have no package lists at all, and one that
     * was set up a while ago has lists that name versions the mirror no longer has; either way the
     * install alone fails. Running it only when something is missing keeps a repeated
     * {@code up --install-deps} as quick as a plain {@code up}.
     *
     * @throws PigException (UNAVAILABLE) when this is not Linux, we are not root, or there is no apt-get
     */
    public List<List<String>> installSteps(List<String> tools) {
        require(List.of());
        List<String> packages = missingPackages(tools);
        if (packages.isEmpty()) {
            return List.of();
        }
        if (!installed.test("apt-get")) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "--install-deps uses apt-get, which this"
                    + " machine does not have. Install the packages that provide " + String.join(", ", missing(tools))
                    + " with its own package manager (their Debian names: " + String.join(" ", packages) + ")");
        }
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y"));
        install.addAll(packages);
        return List.of(List.of("apt-get", "update"), List.copyOf(install));
    }
}
