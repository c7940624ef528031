package dev.pig.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the shared test fixtures live: {@code src-test-fixtures/} at the repository root. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path root() {
        String root = System.getProperty("pig.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        if (!Files.isDirectory(p.resolve("src-test-fixtures"))) {
            p = Path.of(".");
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path path(String relative) {
        return root().resolve("src-test-fixtures").resolve(relative);
    }

    public static Path repo(String relative) {
        return root().resolve(relative);
    }

    /** The {@code .yml} files under a fixture directory, subdirectories included, in name order. */
    public static List<Path> ymlFiles(String relative) {
        try (Stream<Path> s = Files.walk(path(relative))) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
