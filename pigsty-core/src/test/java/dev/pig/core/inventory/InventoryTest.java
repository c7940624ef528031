package dev.pig.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.Fixtures;
import dev.pig.core.diag.Diagnostics;

class InventoryTest {

    private static Inventory load(String fixture, List<String> extra, Diagnostics d) {
        return InventoryLoader.load(Fixtures.path(fixture), extra, d).orElseThrow();
    }

    @Test
    void host_vars_beat_group_vars_which_beat_all_vars() {
        Diagnostics d = new Diagnostics();
        Inventory inv = load("inventory/valid/precedence.yml", List.of(), d);
        Var p11 = inv.resolve("10.10.10.11", d).get("pg_port");
        Var p12 = inv.resolve("10.10.10.12", d).get("pg_port");
        Var p10 = inv.resolve("10.10.10.10", d).get("pg_port");
        assertEquals(5411L, p11.value());
        assertEquals(Origin.HOST, p11.origin());
        assertEquals(5400L, p12.value());
        assertEquals("group pg-test", p12.originText());
        assertEquals(5500L, p10.value());
        assertEquals(Origin.ALL_VARS, p10.origin());
        assertEquals(26, p10.source().line());
    }

    @Test
    void extra_vars_beat_everything() {
        Diagnostics d = new Diagnostics();
        Inventory inv = load("inventory/valid/precedence.yml", List.of("pg_port=6000", "node_tune=crit"), d);
        Var p = inv.resolve("10.10.10.11", d).get("pg_port");
        assertEquals(6000L, p.value());
        assertEquals(Origin.EXTRA, p.origin());
        assertEquals("crit", inv.resolve("10.10.10.12", d).get("node_tune").value());
    }

    @Test
    void extra_vars_from_a_file_keep_their_positions(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("extra.yml");
        Files.writeString(f, "# extra\npg_port: 7000\n");
        Diagnostics d = new Diagnostics();
        Inventory inv = load("inventory/valid/precedence.yml", List.of("@" + f), d);
        Var p = inv.resolve("10.10.10.11", d).get("pg_port");
        assertEquals(7000L, p.value());
        assertEquals(f.toString(), p.source().file());
        assertEquals(2, p.source().line());
    }

    @Test
    void later_extra_vars_override_earlier_ones() {
        Diagnostics d = new Diagnostics();
        Inventory inv = load("inventory/valid/precedence.yml", List.of("pg_port=6000", "{pg_port: 6001}"), d);
        assertEquals(6001L, inv.resolve("10.10.10.11", d).get("pg_port").value());
    }

    @Test
    void placeholders_resolve_from_the_hosts_own_vars_inside_nested_values() {
        Diagnostics d = new Diagnostics();
        Inventory inv = load("inventory/valid/precedence.yml", List.of(), d);
        Map<String, Var> vars = inv.resolve("10.10.10.12", d);
        assertEquals("http://10.10.10.10:80", vars.get("repo_endpoint").value());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> portal = (Map<String, Map<String, Object>>) vars.get("infra_portal").value();
        assertEquals("10.10.10.10:3000", portal.get("grafana").get("endpoint"));
        assertFalse(d.hasErrors());
        assertTrue(d.warnings().isEmpty(), d.render());
    }

    @Test
    void an_unresolvable_placeholder_is_a_warning_naming_the_variable() {
        Diagnostics d = new Diagnostics();
        Inventory inv = load("inventory/valid/precedence.yml", List.of("repo_endpoint=http://${nowhere}/"), d);
        assertEquals("http://${nowhere}/", inv.resolve("10.10.10.11", d).get("repo_endpoint").value());
        assertTrue(d.warnings().get(0).summary().contains("${nowhere}"));
    }

    @Test
    void a_host_in_several_groups_gets_the_vars_of_each() {
        Diagnostics d = new Diagnostics();
        Inventory inv = load("inventory/valid/precedence.yml", List.of(), d);
        Map<String, Var> vars = inv.resolve("10.10.10.10", d);
        assertEquals(1L, vars.get("etcd_seq").value());
        assertEquals("etcd", vars.get("etcd_cluster").value());
        assertEquals("pg-meta", vars.get("pg_cluster").value());
        assertEquals(List.of("etcd", "pg-meta"), inv.groupsOf("10.10.10.10").stream().map(Group::name).toList());
    }

    @Test
    void nested_child_groups_override_their_parents() {
        Diagnostics d = new Diagnostics();
        String text = """
                all:
                  children:
                    dbs:
                      vars: { node_tune: olap }
                      children:
                        pg-x:
                          hosts: { 10.0.0.1: { pg_seq: 1, pg_role: primary } }
                          vars: { pg_cluster: pg-x, node_tune: crit }
                """;
        Inventory inv = InventoryLoader.parse("n.yml", text, Map.of(), d).orElseThrow();
        assertFalse(d.hasErrors(), d.render());
        assertEquals("crit", inv.resolve("10.0.0.1", d).get("node_tune").value());
        assertEquals(List.of("dbs", "pg-x"), inv.groupsOf("10.0.0.1").stream().map(Group::name).toList());
    }

    @Test
    void a_bad_extra_var_is_reported() {
        Diagnostics d = new Diagnostics();
        load("inventory/valid/precedence.yml", List.of("pg_port"), d);
        assertTrue(d.errors().get(0).summary().contains("not key=value"));
    }
}
