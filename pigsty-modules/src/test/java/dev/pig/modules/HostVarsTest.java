package dev.pig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.template.Templates;

class HostVarsTest {
    private final ClusterModel sandbox = ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), List.of()).model();
    private final HostVars v = new ModuleContext(sandbox, Templates.builtIn()).vars(sandbox.node("10.10.10.11").orElseThrow());

    @Test
    void a_parameter_the_inventory_leaves_unset_reads_as_the_catalog_default() {
        assertEquals(5432, v.integer("pg_port"));
        assertEquals(8008, v.integer("patroni_port"));
        assertEquals("oltp", v.str("node_tune"));
        assertEquals(15, v.integer("pg_version"), "the inventory's own value");
    }

    @Test
    void every_read_of_a_name_the_catalog_does_not_know_throws_naming_it() {
        List<Function<String, Object>> reads = List.of(v::raw, v::str, v::integer, v::number, v::bool, v::secret, v::strings, v::dict);
        for (Function<String, Object> read : reads) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read.apply("pg_prot"));
            assertTrue(e.getMessage().contains("'pg_prot'"), e.getMessage());
        }
    }
}
