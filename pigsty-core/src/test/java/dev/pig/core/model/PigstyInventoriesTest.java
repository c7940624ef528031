package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.pig.core.Fixtures;
import dev.pig.core.diag.Diagnostic;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.InventoryLoader;
import dev.pig.core.param.ParamCatalog;

/**
 * Pigsty's own inventories under {@code src-test-fixtures/pigsty/} load unchanged: no error, and
 * exactly the warnings recorded in the {@code .expected} file beside each (rendered as pig prints
 * them, with the repository's path left out). Run with {@code -Dpig.fixtures.update=true} to
 * rewrite them after an intended change, then review the diff.
 */
class PigstyInventoriesTest {

    @TestFactory
    Stream<DynamicTest> every_pigsty_inventory_validates_with_its_recorded_warnings() throws IOException {
        Path dir = Fixtures.path("pigsty");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertTrue(files.size() >= 34, "fixtures missing in " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> check(f)));
    }

    private static void check(Path f) throws IOException {
        Diagnostics d = new Diagnostics();
        InventoryLoader.load(f, List.of(), d).ifPresent(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d));
        String root = Fixtures.root() + "/";
        StringBuilder errors = new StringBuilder();
        for (Diagnostic e : d.errors()) {
            errors.append(e.render().replace(root, "")).append('\n');
        }
        assertEquals("", errors.toString(), f.getFileName() + " must validate");
        StringBuilder warnings = new StringBuilder();
        for (Diagnostic w : d.warnings()) {
            warnings.append(w.render().replace(root, "")).append('\n');
        }
        Path expected = Path.of(f.toString().replaceAll("\\.yml$", ".expected"));
        if (Boolean.getBoolean("pig.fixtures.update")) {
            Files.writeString(expected, warnings.toString());
        }
        assertEquals(Files.readString(expected), warnings.toString(), "warnings of " + f.getFileName());
    }
}
