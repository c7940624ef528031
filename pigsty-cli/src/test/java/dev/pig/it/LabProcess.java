package dev.pig.it;

import java.nio.file.Path;

import dev.pig.sandbox.SandboxLayout;

/**
 * A test JVM reduced to the extension's part: starts a {@link SandboxExtension.Lab} the way the
 * extension does (shutdown hook first, then up), says so on stdout, and waits to be stopped. The
 * end-to-end test of the shutdown hook runs it as a child process and sends it SIGTERM.
 *
 * <p>Arguments: the inventory, then the directory that holds the sandbox's state, cache and home
 * ({@link #layoutUnder}).
 */
final class LabProcess {
    /** The line printed once every node is up. */
    static final String READY = "lab process: sandbox up";

    private LabProcess() {
    }

    /** A sandbox layout entirely inside one directory, apart from the standard one. */
    static SandboxLayout layoutUnder(Path dir) {
        return new SandboxLayout(dir.resolve("state"), dir.resolve("cache"), dir.resolve("home"));
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxExtension.Lab lab = SandboxExtension.Lab.start(Path.of(args[0]), layoutUnder(Path.of(args[1])));
        System.out.println(READY + ": " + lab.hosts().size() + " node(s)");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
