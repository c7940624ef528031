package dev.pig.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files under {@code src-test-fixtures/}: recorded command output, inventories, golden copies and
 * task cases. {@code -Dpig.fixtures.update=true} lets the tests that generate fixtures rewrite
 * them; review the diff after.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** The repository root: Maven passes it as {@code pig.root}; an IDE runs tests from a module or the root. */
    public static Path root() {
        String root = System.getProperty("pig.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        if (!Files.isDirectory(p.resolve("src-test-fixtures"))) {
            p = Path.of(".");
        }
        return p.toAbsolutePath().normalize();
    }

    /** {@code src-test-fixtures/<relative>}. */
    public static Path path(String relative) {
        return root().resolve("src-test-fixtures").resolve(relative);
    }

    public static String read(String relative) {
        return read(path(relative));
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(String relative, String content) {
        try {
            Path p = path(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this run rewrites generated fixtures and golden copies. */
    public static boolean update() {
        return Boolean.getBoolean("pig.fixtures.update");
    }
}
