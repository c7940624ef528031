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
 * One test per broken inventory under {@code src-test-fixtures/inventory/invalid/}: the errors it
 * must produce, all in one pass, are in the {@code .expected} file next to it as pig renders
 * them: summary, position, excerpt and hint (so did-you-mean texts are checked too), with the
 * fixture's directory left out of paths. Run with {@code -Dpig.fixtures.update=true} to rewrite
 * them after an intended change, then review the diff.
 */
class InvalidInventoryFixturesTest {

    @TestFactory
    Stream<DynamicTest> each_broken_inventory_reports_exactly_its_errors() {
        List<Path> files = Fixtures.ymlFiles("inventory/invalid");
        assertTrue(files.size() >= 10, "fixtures missing in inventory/invalid");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    static String errorsOf(Path f) {
        Diagnostics d = new Diagnostics();
        InventoryLoader.load(f, List.of(), d).ifPresent(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d));
        StringBuilder b = new StringBuilder();
        for (Diagnostic e : d.errors()) {
            b.append(e.render().replace(f.toString(), f.getFileName().toString())).append('\n');
        }
        return b.toString();
    }

    private static void check(Path f) throws IOException {
        String actual = errorsOf(f);
        Path expected = Path.of(f.toString().replaceAll("\\.yml$", ".expected"));
        if (Boolean.getBoolean("pig.fixtures.update")) {
            Files.writeString(expected, actual);
        }
        assertTrue(!actual.isEmpty(), f + " produced no error");
        assertEquals(Files.readString(expected), actual, "errors of " + f.getFileName());
    }
}
