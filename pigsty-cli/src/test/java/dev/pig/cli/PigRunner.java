package dev.pig.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs pig in-process and captures what it prints, for CLI tests. */
public final class PigRunner {
    private PigRunner() {
    }

    /** The outcome of one run. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result run(String... args) {
        return runWith(null, args);
    }

    /** Runs pig with hosts reached through {@code opener} (see {@link FakeHosts}). */
    public static Result runWith(dev.pig.core.ssh.Connections.Opener opener, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PigCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), opener);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The repository root, where inventory-examples/ and src-test-fixtures/ live. */
    public static Path root() {
        String root = System.getProperty("pig.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        if (!Files.isDirectory(p.resolve("inventory-examples"))) {
            p = Path.of(".");
        }
        return p.toAbsolutePath().normalize();
    }

    public static String path(String relative) {
        return root().resolve(relative).toString();
    }
}
