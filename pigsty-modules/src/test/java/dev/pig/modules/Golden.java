package dev.pig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files for rendered templates under {@code src-test-fixtures/<module>/golden/}. Run with
 * {@code -Dpig.fixtures.update=true} to rewrite them after an intended change, then review the diff.
 */
public final class Golden {
    private Golden() {
    }

    public static Path root() {
        String root = System.getProperty("pig.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        if (!Files.isDirectory(p.resolve("src-test-fixtures"))) {
            p = Path.of(".");
        }
        return p.toAbsolutePath().normalize();
    }

    public static void check(String relative, String actual) {
        Path f = root().resolve("src-test-fixtures").resolve(relative);
        try {
            if (Boolean.getBoolean("pig.fixtures.update")) {
                Files.createDirectories(f.getParent());
                Files.writeString(f, actual);
            }
            if (!Files.exists(f)) {
                throw new AssertionError("golden file " + relative + " is missing: run with -Dpig.fixtures.update=true and review it");
            }
            assertEquals(Files.readString(f), actual, "golden file " + relative);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
