package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pig.core.Fixtures;
import dev.pig.core.diag.Diagnostic;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.InventoryLoader;
import dev.pig.core.param.ParamCatalog;

/**
 * Pigsty's own inventories under {@code src-test-fixtures/pigsty/}, and pig's own inventories in
 * Pigsty v3's vocabulary and layout under {@code src-test-fixtures/inventory/v3-style/}, load
 * unchanged: no error, and exactly the warnings recorded in the {@code .expected} file beside each
 * (rendered as pig prints them, with the repository's path left out). Run with
 * {@code -Dpig.fixtures.update=true} to rewrite them after an intended change, then review the diff.
 */
class PigstyInventoriesTest {

    @TestFactory
    Stream<DynamicTest> every_pigsty_inventory_validates_with_its_recorded_warnings() throws IOException {
        return checkAll("pigsty", 30);
    }

    @TestFactory
    Stream<DynamicTest> every_v3_style_inventory_validates_with_its_recorded_warnings() throws IOException {
        return checkAll("inventory/v3-style", 4);
    }

    /**
     * The v3-style files are there for what v4 inventories no longer write; this keeps a later edit
     * from "modernising" them: each host still reads pg_rto as seconds, and where the file writes
     * an unquoted {@code off} (a YAML 1.1 boolean) the watchdog mode is the word.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "full.yml,  172.20.1.11, 40, NORM, false",
            "full.yml,  172.20.1.13, 90, SAFE, false",
            "dual.yml,  192.168.56.22, 75, SAFE, false",
            "trio.yml,  10.77.0.3, 25, FAST, true",
            "safe.yml,  10.60.8.12, 60, SAFE, true",
    })
    void a_v3_style_inventory_gives_pg_rto_in_seconds_and_an_unquoted_watchdog_off(String file, String host, long seconds,
            RtoMode mode, boolean unquotedOff) throws IOException {
        Path f = Fixtures.path("inventory/v3-style/" + file);
        Diagnostics d = new Diagnostics();
        ClusterModel m = ModelBuilder.build(InventoryLoader.load(f, List.of(), d).orElseThrow(), ParamCatalog.builtIn(), d);
        assertFalse(d.hasErrors(), d.render());
        Object rto = m.value(host, "pg_rto");
        assertEquals(seconds, rto, "pg_rto of " + host + " as a number");
        assertEquals(mode, RtoMode.of(rto).orElseThrow());
        assertEquals(unquotedOff, Files.readString(f).matches("(?s).*\\n\\s*patroni_watchdog_mode: off\\n.*"),
                "an unquoted 'patroni_watchdog_mode: off' line in " + file);
        if (unquotedOff) {
            assertEquals("off", m.value(host, "patroni_watchdog_mode"));
        }
    }

    private static Stream<DynamicTest> checkAll(String fixtures, int atLeast) throws IOException {
        Path dir = Fixtures.path(fixtures);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertTrue(files.size() >= atLeast, "fixtures missing in " + dir);
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
