package dev.pig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        return Fixtures.root();
    }

    public static void check(String relative, String actual) {
        if (Fixtures.update()) {
            Fixtures.write(relative, actual);
        }
        if (!Files.exists(Fixtures.path(relative))) {
            throw new AssertionError("golden file " + relative + " is missing: run with -Dpig.fixtures.update=true and review it");
        }
        assertEquals(Fixtures.read(relative), actual, "golden file " + relative);
    }
}
