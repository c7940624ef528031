package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.Fixtures;
import dev.pig.core.diag.Diagnostic;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.InventoryLoader;
import dev.pig.core.param.ParamCatalog;

class ModelBuilderTest {

    private static ClusterModel sandbox() {
        return ModelLoader.load(Fixtures.repo("inventory-examples/sandbox.yml"), List.of()).model();
    }

    private static Diagnostics check(String yaml) {
        Diagnostics d = new Diagnostics();
        InventoryLoader.parse("t.yml", yaml, Map.of(), d).ifPresent(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d));
        return d;
    }

    @Test
    void the_sandbox_has_two_clusters_and_one_etcd_member() {
        ClusterModel m = sandbox();
        assertEquals(4, m.nodes().size());
        assertEquals(List.of("pg-meta", "pg-test"), m.pgClusters().stream().map(PgCluster::name).toList());
        assertEquals(List.of("etcd-1"), m.etcd().orElseThrow().members().stream().map(EtcdCluster.Member::name).toList());
        assertEquals(1, m.infra().size());
    }

    @Test
    void quoted_numbers_are_accepted_for_integer_and_port_parameters_and_read_as_numbers() {
        Diagnostics d = new Diagnostics();
        ClusterModel m = InventoryLoader.parse("t.yml", """
                all:
                  children:
                    etcd: { hosts: { 10.10.10.10: { etcd_seq: "1" } }, vars: { etcd_cluster: etcd, etcd_port: '2381' } }
                    pg-test:
                      hosts: { 10.10.10.11: { pg_seq: '1', pg_role: primary } }
                      vars: { pg_cluster: pg-test, pg_port: "5440", pg_version: "15" }
                """, Map.of(), d).map(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d)).orElseThrow();
        assertFalse(d.hasErrors(), d.render());
        assertEquals(5440, m.pgCluster("pg-test").orElseThrow().instances().get(0).port());
        assertEquals(15, m.pgCluster("pg-test").orElseThrow().version());
        assertEquals(2381, m.etcd().orElseThrow().members().get(0).port());
        assertEquals(5440L, m.value("10.10.10.11", "pg_port"));
        assertTrue(check("all: { vars: { pg_port: '54x2' } }").errors().get(0).summary()
                .startsWith("parameter 'pg_port' has the wrong type"));
    }

    @Test
    void a_value_made_from_placeholders_is_checked_once_resolved() {
        Diagnostics d = check("""
                all:
                  children:
                    nodes: { hosts: { 10.10.10.11: { vip_address: '${admin_ip}.5', pg_port: '${admin_ip}' } } }
                  vars: { admin_ip: 10.10.10.10 }
                """);
        assertEquals(List.of(
                "parameter 'vip_address' has the wrong type once '${admin_ip}.5' is resolved: expected an IP address, got '10.10.10.10.5'",
                "parameter 'pg_port' has the wrong type once '${admin_ip}' is resolved: expected a port number (1-65535), got '10.10.10.10'"),
                d.errors().stream().map(e -> e.summary()).toList());
    }

    @Test
    void a_secret_shorter_than_four_characters_is_a_warning_since_output_cannot_hide_it_reliably() {
        Diagnostics d = check("""
                all:
                  hosts: { 10.10.10.11: {} }
                  vars:
                    haproxy_admin_password: ab
                    pg_admin_password: Zq8vLr2TnW4x
                    pg_monitor_password: '${admin_ip}'
                    admin_ip: 10.10.10.10
                """);
        assertFalse(d.hasErrors(), d.render());
        List<Diagnostic> w = d.warnings().stream().filter(x -> x.summary().contains("too short")).toList();
        assertEquals(List.of("'haproxy_admin_password' is 2 characters long: too short to be a secret"),
                w.stream().map(Diagnostic::summary).toList());
        assertEquals(4, w.get(0).source().line());
        assertTrue(w.get(0).excerpt().contains("haproxy_admin_password: ***"), w.get(0).excerpt());
    }

    @Test
    void reading_a_parameter_the_catalog_does_not_know_throws_naming_it() {
        ClusterModel m = sandbox();
        assertEquals(5432L, m.value("10.10.10.11", "pg_port"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> m.value("10.10.10.11", "pg_prot"));
        assertTrue(e.getMessage().startsWith("parameter 'pg_prot' is not in pig's catalog"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> m.varsOf("10.10.10.11").explicitVar("pg_prot"));
    }

    @Test
    void derives_instance_and_service_names() {
        PgCluster t = sandbox().pgCluster("pg-test").orElseThrow();
        assertEquals(List.of("pg-test-1", "pg-test-2", "pg-test-3"), t.instances().stream().map(PgInstance::name).toList());
        assertEquals("pg-test-primary", t.instances().get(0).service());
        assertEquals("pg-test-replica", t.instances().get(1).service());
        assertEquals(PgRole.PRIMARY, t.primary().orElseThrow().role());
        assertTrue(t.instances().get(2).offlineQuery());
        assertEquals(15, t.version());
    }

    @Test
    void nodes_are_named_after_their_pg_instance_by_default() {
        ClusterModel m = sandbox();
        assertEquals("pg-meta-1", m.node("10.10.10.10").orElseThrow().nodename());
        assertEquals("pg-test-2", m.node("10.10.10.12").orElseThrow().nodename());
        assertEquals("pg-test", m.node("10.10.10.12").orElseThrow().nodeCluster());
        assertEquals(Optional.of("~/.pig/sandbox/id_ed25519"), m.node("10.10.10.11").orElseThrow().privateKeyFile());
    }

    @Test
    void users_and_databases_are_typed_and_passwords_masked() {
        PgCluster meta = sandbox().pgCluster("pg-meta").orElseThrow();
        PgUser u = meta.users().get(0);
        assertEquals("dbuser_meta", u.name());
        assertEquals("DBUser.Meta", u.password().orElseThrow().reveal());
        assertEquals("***", u.password().orElseThrow().toString());
        assertEquals(List.of("dbrole_admin"), u.roles());
        assertTrue(u.pgbouncer());
        PgDatabase db = meta.databases().get(0);
        assertEquals("meta", db.name());
        assertEquals(List.of("pigsty"), db.schemas());
        assertEquals(Optional.of(Fixtures.repo("inventory-examples/files/cmdb.sql").toAbsolutePath().normalize().toString()), db.baseline(),
                "a relative baseline is looked for in files/ beside the inventory, as in Pigsty");
    }

    static final String BASELINE_INV = """
            all:
              children:
                etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                pg-meta:
                  hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
                  vars:
                    pg_cluster: pg-meta
                    pg_databases:
                      - { name: meta, baseline: %s }
            """;

    static Optional<String> baselineOf(java.nio.file.Path inventory, Diagnostics d) throws java.io.IOException {
        return InventoryLoader.load(inventory, List.of(), d).map(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d))
                .orElseThrow().pgCluster("pg-meta").orElseThrow().databases().get(0).baseline();
    }

    @Test
    void a_baseline_is_found_beside_the_inventory_or_at_an_absolute_path(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path beside = java.nio.file.Files.writeString(dir.resolve("meta.sql"), "SELECT 1;\n");
        java.nio.file.Path inv = java.nio.file.Files.writeString(dir.resolve("pigsty.yml"), BASELINE_INV.formatted("meta.sql"));
        Diagnostics d = new Diagnostics();
        assertEquals(Optional.of(beside.toString()), baselineOf(inv, d));
        assertTrue(d.warnings().isEmpty(), d.render());
        java.nio.file.Files.writeString(inv, BASELINE_INV.formatted(beside.toString()));
        assertEquals(Optional.of(beside.toString()), baselineOf(inv, new Diagnostics()));
    }

    @Test
    void a_missing_baseline_is_reported_at_its_line(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path inv = java.nio.file.Files.writeString(dir.resolve("pigsty.yml"), BASELINE_INV.formatted("nope.sql"));
        Diagnostics d = new Diagnostics();
        baselineOf(inv, d);
        assertEquals(1, d.warnings().size(), d.render());
        Diagnostic w = d.warnings().get(0);
        assertEquals("baseline 'nope.sql' of database 'meta' is not found (looked for " + dir.resolve("files/nope.sql") + ", "
                + dir.resolve("nope.sql") + ")", w.summary());
        assertEquals(9, w.source().line());
        assertFalse(d.hasErrors(), "a database that exists never needs its baseline");
    }

    @Test
    void default_hba_rules_and_services_come_from_the_catalog() {
        PgCluster t = sandbox().pgCluster("pg-test").orElseThrow();
        assertEquals(List.of("primary", "replica", "default", "offline"), t.services().stream().map(PgService::name).toList());
        assertFalse(t.hbaRules().isEmpty());
    }

    @Test
    void a_standby_cluster_and_a_delayed_replica_are_accepted() {
        Diagnostics d = check("""
                all:
                  children:
                    etcd: { hosts: { 10.0.0.1: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-test2:
                      hosts:
                        10.0.0.2: { pg_seq: 1, pg_role: primary, pg_upstream: 10.0.0.9 }
                        10.0.0.3: { pg_seq: 2, pg_role: delayed, pg_upstream: 10.0.0.2, pg_delay: 1d }
                      vars: { pg_cluster: pg-test2 }
                """);
        assertFalse(d.hasErrors(), d.render());
    }

    @Test
    void redis_instances_are_keyed_by_port() {
        Diagnostics d = new Diagnostics();
        ClusterModel m = InventoryLoader.parse("r.yml", """
                all:
                  children:
                    redis-ms:
                      hosts: { 10.0.0.1: { redis_node: 1, redis_instances: { 6379: {}, 6380: { replica_of: '10.0.0.1 6379' } } } }
                      vars: { redis_cluster: redis-ms, redis_mode: standalone }
                """, Map.of(), d).map(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d)).orElseThrow();
        assertFalse(d.hasErrors(), d.render());
        RedisCluster r = m.redis().get(0);
        assertEquals(RedisCluster.Mode.STANDALONE, r.mode());
        assertEquals(List.of("redis-ms-1-6379", "redis-ms-1-6380"), r.nodes().get(0).instances().stream().map(RedisCluster.Instance::name).toList());
        assertEquals(Optional.of(new RedisCluster.Endpoint("10.0.0.1", 6379)), r.nodes().get(0).instances().get(1).replicaOf());
    }

    @Test
    void a_redis_cluster_exposes_what_infra_scrapes_and_its_sentinel_monitors() {
        Diagnostics d = new Diagnostics();
        ClusterModel m = InventoryLoader.parse("r.yml", """
                all:
                  children:
                    redis-ms:
                      hosts: { 10.0.0.1: { redis_node: 1, redis_instances: { 6379: {}, 6380: { replica_of: '10.0.0.1 6379' } } } }
                      vars: { redis_cluster: redis-ms, redis_exporter_port: 9122 }
                    redis-meta:
                      hosts: { 10.0.0.2: { redis_node: 1, redis_instances: { 26379: {}, 26380: {}, 26381: {} }, redis_exporter_enabled: false } }
                      vars:
                        redis_cluster: redis-meta
                        redis_mode: sentinel
                        redis_sentinel_monitor: [ { name: redis-ms, host: 10.0.0.1, port: 6379, password: redis.ms, quorum: 2, down_after: 3000 } ]
                """, Map.of(), d).map(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d)).orElseThrow();
        assertFalse(d.hasErrors(), d.render());
        assertEquals(List.of(new RedisCluster.ScrapeTarget("redis-ms", "redis-ms-1-6379", "10.0.0.1", 6379, "10.0.0.1:9122"),
                new RedisCluster.ScrapeTarget("redis-ms", "redis-ms-1-6380", "10.0.0.1", 6380, "10.0.0.1:9122")), m.redis().get(0).scrapeTargets());
        assertEquals("redis://10.0.0.1:6380", m.redis().get(0).scrapeTargets().get(1).target());
        assertEquals(List.of(), m.redis().get(1).scrapeTargets());
        RedisCluster.Monitor mon = m.redis().get(1).monitors().get(0);
        assertEquals(new RedisCluster.Endpoint("10.0.0.1", 6379), mon.endpoint());
        assertEquals(2, mon.quorum());
        assertEquals(3000, mon.downAfter());
        assertEquals("redis.ms", mon.password().orElseThrow().reveal());
        assertFalse(mon.remove());
    }

    @Test
    void a_host_named_by_ansible_host_is_accepted() {
        Diagnostics d = check("""
                all:
                  children:
                    etcd: { hosts: { node-1: { etcd_seq: 1, ansible_host: 10.0.0.1, ansible_port: 2222, ansible_user: dba } }, vars: { etcd_cluster: etcd } }
                """);
        assertFalse(d.hasErrors(), d.render());
    }

    @Test
    void a_known_parameter_pig_does_not_use_yet_is_only_a_warning() {
        Diagnostics d = check("""
                all:
                  vars: { docker_data: /data/docker }
                """);
        assertFalse(d.hasErrors(), d.render());
        assertEquals(List.of("1 DOCKER parameter is not acted on: pig does not deploy DOCKER"),
                d.warnings().stream().map(w -> w.summary()).toList());
        assertTrue(d.warnings().get(0).hint().contains("docker_data"), d.render());
    }

    @Test
    void parameters_of_a_module_pig_does_not_deploy_are_one_warning_naming_them_all() {
        Diagnostics d = check("""
                all:
                  children:
                    app:
                      hosts: { 10.0.0.1: {} }
                      vars: { docker_enabled: true, app: pgadmin, apps: { pgadmin: { conf: { A: b } } } }
                    app2:
                      hosts: { 10.0.0.2: { docker_enabled: true } }
                """);
        assertFalse(d.hasErrors(), d.render());
        assertEquals(List.of("3 DOCKER parameters are not acted on: pig does not deploy DOCKER"),
                d.warnings().stream().map(w -> w.summary()).toList());
        assertEquals(5, d.warnings().get(0).source().line(), "the first one written");
        assertTrue(d.warnings().get(0).hint().contains("app, apps, docker_enabled"), d.render());
    }

    @Test
    void parameters_pig_deploys_but_does_not_use_yet_are_one_warning_per_module() {
        Diagnostics d = check("""
                all:
                  vars: { pg_packages: [ pgsql-main ], pg_mode: oriole, node_firewall_mode: zone }
                """);
        assertFalse(d.hasErrors(), d.render());
        assertEquals(List.of("1 NODE parameter is accepted but pig does not act on it yet: node_firewall_mode",
                        "2 PGSQL parameters are accepted but pig does not act on them yet: pg_mode, pg_packages"),
                d.warnings().stream().map(w -> w.summary()).sorted().toList());
    }

    @Test
    void pigstys_hba_user_aliases_and_listen_addresses_are_no_placeholder_warnings() {
        Diagnostics d = check("""
                all:
                  vars:
                    pg_listen: '${ip},${vip},${lo}'
                    pg_hba_rules:
                      - { user: '${admin}', db: all, addr: world, auth: cert, title: 'admin with cert' }
                    pgb_hba_rules:
                      - { user: '${monitor}', db: pgbouncer, addr: intra, auth: ssl, title: 'monitor' }
                    node_etc_hosts: [ '${admin} admin.pigsty' ]
                  children:
                    etcd: { hosts: { 10.0.0.1: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                """);
        assertFalse(d.hasErrors(), d.render());
        assertEquals(List.of("placeholder '${admin}' has no value for this host"),
                d.warnings().stream().map(w -> w.summary()).filter(w -> w.startsWith("placeholder")).toList(),
                "an alias only counts in the parameters whose module fills it in");
    }

    @Test
    void an_extension_name_pig_does_not_know_is_a_warning_with_the_closest_one() {
        Diagnostics d = check("""
                all:
                  children:
                    etcd: { hosts: { 10.0.0.1: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-test:
                      hosts: { 10.0.0.2: { pg_seq: 1, pg_role: primary } }
                      vars:
                        pg_cluster: pg-test
                        pg_extensions: [ postgis, 'pgvector, pg_crom', pg18-main ]
                        pg_databases: [ { name: app, extensions: [ vector, { name: timescaldb, schema: ts } ] } ]
                """);
        assertFalse(d.hasErrors(), d.render());
        List<String> ext = d.warnings().stream().filter(w -> w.summary().startsWith("extension"))
                .map(w -> w.summary() + " @" + w.source().line() + " " + w.hint().substring(0, w.hint().indexOf('?') + 1)).toList();
        assertEquals(List.of("extension 'pg_crom' is not in pig's extension catalog @8 Did you mean 'pg_cron'?",
                "extension 'timescaldb' is not in pig's extension catalog @9 Did you mean 'timescaledb'?"), ext);
    }

    @Test
    void an_unquoted_off_of_pigsty_v3_is_the_enum_word() {
        Diagnostics d = check("""
                all:
                  vars: { patroni_watchdog_mode: off, pg_rto: 30 }
                  children:
                    etcd: { hosts: { 10.0.0.1: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-test: { hosts: { 10.0.0.2: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-test } }
                """);
        assertFalse(d.hasErrors(), d.render());
        Diagnostics again = new Diagnostics();
        ClusterModel m = ModelBuilder.build(InventoryLoader.parse("pigsty.yml", """
                all:
                  vars: { patroni_watchdog_mode: off }
                  children:
                    etcd: { hosts: { 10.0.0.1: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                """, Map.of(), again).orElseThrow(), ParamCatalog.builtIn(), again);
        assertEquals("off", m.value("10.0.0.1", "patroni_watchdog_mode"));
    }

    @Test
    void a_service_selector_is_reported_in_the_layer_that_sets_it_and_jinja_is_left_to_ansible() {
        Diagnostics d = check("""
                all:
                  vars:
                    pg_services:
                      - { name: standby, port: 5435, selector: "[? pg_role == `replica`", backup: "" }
                      - { name: tmpl, port: 5437, selector: "{{ pg_standby_selector }}" }
                      - { name: first, port: 5439, selector: "[? pg_role == 'replica'] | [0]", backup: "[0]" }
                  children:
                    etcd: { hosts: { 10.0.0.1: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-test: { hosts: { 10.0.0.2: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-test } }
                """);
        assertEquals(List.of("invalid selector of service 'standby' in all.vars: expected ']' at column 24"),
                d.errors().stream().map(e -> e.summary()).toList(), d.render());
        assertEquals(4, d.errors().get(0).source().line());
    }
}
