package dev.pig.core.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ParamCatalogTest {
    private final ParamCatalog catalog = ParamCatalog.builtIn();

    @Test
    void every_module_has_parameters() {
        for (Module m : Module.values()) {
            assertFalse(catalog.byModule(m).isEmpty(), m + " has no parameters");
        }
        assertTrue(catalog.all().size() > 300);
    }

    @Test
    void every_default_satisfies_its_own_type() {
        List<String> bad = new ArrayList<>();
        for (Param p : catalog.all()) {
            p.type().check(p.defaultValue(), p.values()).ifPresent(problem -> bad.add(p.name() + ": " + problem));
            if (p.description().isBlank()) {
                bad.add(p.name() + ": no description");
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void uses_pigstys_ports() {
        Map<String, Long> ports = Map.of("pg_port", 5432L, "pgbouncer_port", 6432L, "patroni_port", 8008L,
                "pg_exporter_port", 9630L, "etcd_port", 2379L, "etcd_peer_port", 2380L, "minio_port", 9000L,
                "node_exporter_port", 9100L);
        ports.forEach((name, port) -> assertEquals(port, catalog.find(name).orElseThrow().defaultValue(), name));
    }

    @Test
    void default_services_listen_on_5433_to_5438() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) catalog.find("pg_default_services").orElseThrow().defaultValue();
        assertEquals(List.of(5433L, 5434L, 5436L, 5438L), services.stream().map(s -> s.get("port")).toList());
    }

    @Test
    void suggests_the_closest_names_for_a_typo() {
        assertEquals("pg_users", catalog.suggestions("pg_usres").get(0));
        assertEquals("pg_databases", catalog.suggestions("pg_datbases").get(0));
        assertEquals(List.of(), catalog.suggestions("completely_unrelated_thing"));
    }

    @Test
    void a_duplicate_parameter_is_refused() {
        Param p = catalog.find("pg_port").orElseThrow();
        try {
            new ParamCatalog(List.of(p, p));
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("pg_port"));
            return;
        }
        throw new AssertionError("duplicate accepted");
    }

    @Test
    void types_check_values() {
        assertTrue(ParamType.PORT.check(70000L, List.of()).isPresent());
        assertTrue(ParamType.PORT.check("abc", List.of()).isPresent());
        assertFalse(ParamType.PORT.check(5432L, List.of()).isPresent());
        assertTrue(ParamType.CIDR.check("10.10.10.3", List.of()).isPresent());
        assertFalse(ParamType.CIDR.check("10.10.10.3/24", List.of()).isPresent());
        assertFalse(ParamType.SIZE.check("8GiB", List.of()).isPresent());
        assertFalse(ParamType.INTERVAL.check("10s", List.of()).isPresent());
        assertTrue(ParamType.BOOL.check("maybe", List.of()).isPresent());
        assertFalse(ParamType.STRING.check("{{ pg_cluster }}", List.of()).isPresent());
        assertTrue(ParamType.ENUM.check("x", List.of("a", "b")).isPresent());
    }
}
