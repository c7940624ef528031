package dev.pig.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files under {@code src-test-fixtures/} at the repository root. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path path(String relative) {
        String root = System.getProperty("pig.root");
        Path base = root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
        return base.resolve("src-test-fixtures").resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
