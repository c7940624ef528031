package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.HbaRule;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.modules.Golden;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.PlanningFixture;

/** patroni.yml per pg_conf profile on two node shapes, and HBA rendering, against golden copies. */
class PgsqlTemplatesGoldenTest {

    static String patroniYml(String profile, long memMb, int cpus) {
        return TestPg.patroniYml(PgsqlFixtures.sandbox("pg_conf=" + profile + ".yml"), "10.10.10.11", memMb, cpus);
    }

    /** patroni.yml of one host of {@code inventory} (under src-test-fixtures), on a 4 GB / 2 cpu node. */
    static String patroniYmlOf(String inventory, String host, String... extraVars) {
        return PgsqlTasksTest.patroniYml("src-test-fixtures/" + inventory, host, extraVars);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "10.10.10.21, standby-leader-delayed",
            "10.10.10.22, standby-replica",
            "10.10.10.13, cascading-replica",
            "10.10.10.14, delayed-replica"})
    void replication_topologies_match_their_golden_copies(String host, String golden) {
        Golden.check("pgsql/golden/patroni-" + golden + ".yml", patroniYmlOf("pgsql/inventory/replication.yml", host));
    }

    @Test
    void a_standby_cluster_follows_its_upstream_with_the_delay_of_its_primary() {
        String leader = patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.21");
        assertTrue(leader.contains("    standby_cluster:\n      host: '10.10.10.11'\n      port: 5432\n"
                + "      recovery_min_apply_delay: '1d'\n      create_replica_methods:\n        - 'basebackup'\n"), leader);
        assertTrue(patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.22").contains("standby_cluster:"),
                "every member bootstraps the same DCS config");
        assertFalse(patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.11").contains("standby_cluster"));
        assertFalse(leader.contains("replicatefrom"), "a standby leader follows its upstream, not a member");
    }

    @Test
    void a_replica_can_be_built_from_the_backup_repository_with_basebackup_as_fallback() {
        String yml = patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.12", "{patroni_replica_methods: [pgbackrest, basebackup]}");
        Golden.check("pgsql/golden/patroni-replica-from-backup.yml", yml);
        assertTrue(yml.contains("  create_replica_methods:\n    - 'pgbackrest'\n    - 'basebackup'\n"), yml);
        assertTrue(yml.contains("    keep_data: true\n    no_params: true\n"), yml);
        String off = patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.12",
                "{patroni_replica_methods: [pgbackrest, basebackup], pgbackrest_enabled: false}");
        assertFalse(off.contains("pgbackrest"), "no repository, no restore from it: " + off);
    }

    @Test
    void a_cascading_replica_names_its_upstream_member_and_a_delayed_one_waits() {
        assertTrue(patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.13").contains("  replicatefrom: 'pg-test-2'\n"));
        String delayed = patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.14");
        assertTrue(delayed.contains("  recovery_conf:\n    recovery_min_apply_delay: '30min'\n"), delayed);
        assertTrue(delayed.contains("  nofailover: true"), "a delayed replica is never promoted");
        assertFalse(patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.12").contains("recovery_conf"));
    }

    @ParameterizedTest(name = "pg_delay {0} is {1}")
    @CsvSource({"1h, 1h", "30m, 30min", "90s, 90s", "2w, 14d", "1y, 365d", "1.5h, 1.5h", "500, 500ms", "0, ''", "'0s', ''"})
    void pg_delay_is_written_in_units_postgresql_reads(String delay, String pg) {
        assertEquals(pg, Durations.pg(delay.matches("\\d+") ? (Object) Long.parseLong(delay) : delay).orElse(""));
    }

    @Test
    void cluster_wide_pg_parameters_go_to_the_dcs_and_the_others_to_the_instance() {
        String yml = patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.11",
                "{pg_parameters: {max_connections: 333, wal_keep_size: 2GB, work_mem: 8MB}}");
        String dcs = yml.substring(yml.indexOf("  dcs:"), yml.indexOf("  initdb:"));
        String local = yml.substring(yml.indexOf("\npostgresql:"));
        assertTrue(dcs.contains("        max_connections: 333\n"), dcs);
        assertTrue(dcs.contains("        wal_keep_size: '2GB'\n"), dcs);
        assertFalse(local.contains("max_connections") || local.contains("wal_keep_size"), "Patroni ignores them there: " + local);
        assertTrue(local.contains("    work_mem: '8MB'\n"), local);
    }

    @Test
    void patroni_service_matches_its_golden_copy() {
        Golden.check("pgsql/golden/patroni.service", PgsqlFixtures.sandbox().ctx().render("pgsql/patroni.service.ftl",
                Map.of("pg_instance", "pg-test-1", "pg_cluster", "pg-test", "pg_dbsu", "postgres", "patroni_watchdog_mode", "off")));
    }

    @Test
    void a_watchdog_mode_other_than_off_loads_softdog_and_hands_the_device_to_the_dbsu() {
        String unit = PgsqlFixtures.sandbox().ctx().render("pgsql/patroni.service.ftl",
                Map.of("pg_instance", "pg-test-1", "pg_cluster", "pg-test", "pg_dbsu", "postgres", "patroni_watchdog_mode", "required"));
        assertTrue(unit.contains("ExecStartPre=-+/sbin/modprobe softdog\nExecStartPre=-+/bin/chown postgres /dev/watchdog\n"), unit);
        String yml = patroniYmlOf("pgsql/inventory/replication.yml", "10.10.10.11", "patroni_watchdog_mode=required", "pg_rto=wide");
        assertTrue(yml.contains("watchdog:\n  mode: 'required'\n  device: '/dev/watchdog'\n  safety_margin: 15\n"), yml);
    }

    @ParameterizedTest(name = "{0} on {1} MB / {2} cpu")
    @CsvSource({
            "oltp, 4096, 2", "oltp, 65536, 16",
            "olap, 4096, 2", "olap, 65536, 16",
            "crit, 4096, 2", "crit, 65536, 16",
            "tiny, 4096, 2", "tiny, 65536, 16"})
    void patroni_yml_matches_its_golden_copy(String profile, long memMb, int cpus) {
        Golden.check("pgsql/golden/patroni-" + profile + "-" + cpus + "c" + (memMb / 1024) + "g.yml", patroniYml(profile, memMb, cpus));
    }

    @Test
    void patroni_yml_has_no_plain_secret_but_the_ones_patroni_needs_and_is_stable() {
        String a = patroniYml("oltp", 4096, 2);
        assertEquals(a, patroniYml("oltp", 4096, 2));
        assertTrue(a.contains("password: 'DBUser.Replicator'"));
        assertFalse(a.contains("DBUser.DBA"), "the admin password has no place in patroni.yml");
    }

    @Test
    void crit_and_rpo_zero_turn_synchronous_mode_on() {
        assertTrue(patroniYml("crit", 4096, 2).contains("synchronous_mode: true"));
        assertTrue(patroniYml("oltp", 4096, 2).contains("synchronous_mode: false"));
    }

    @Test
    void rto_seconds_map_to_the_nearest_mode() {
        assertEquals("fast", RtoPlan.mode(20));
        assertEquals("norm", RtoPlan.mode(30));
        assertEquals("safe", RtoPlan.mode(60));
        assertEquals("wide", RtoPlan.mode(120));
        assertEquals("norm", RtoPlan.mode("45"));
        assertEquals("safe", RtoPlan.mode("safe"));
        assertThrows(IllegalArgumentException.class, () -> RtoPlan.mode("quick"));
    }

    @ParameterizedTest(name = "pg_rto {0}")
    @CsvSource({
            "fast, 9, 1, 4, 10, inter 1s fastinter 500ms downinter 500ms rise 2 fall 3",
            "norm, 24, 4, 10, 25, inter 2s fastinter 500ms downinter 500ms rise 2 fall 3",
            "30,   24, 4, 10, 25, inter 2s fastinter 500ms downinter 500ms rise 2 fall 3",
            "safe, 60, 10, 20, 45, inter 3s fastinter 1500ms downinter 2s rise 3 fall 3",
            "wide, 120, 20, 30, 95, inter 4s fastinter 2s downinter 4s rise 3 fall 3"})
    void pg_rto_picks_its_row_of_the_plan_for_patroni_and_haproxy(String rto, int ttl, int loop, int retry, int start, String checks) {
        PlanningFixture f = PgsqlFixtures.sandbox("pg_rto=" + rto);
        HostVars v = f.ctx().vars(f.node("10.10.10.11"));
        RtoPlan p = RtoPlan.of(v);
        assertEquals(List.of(ttl, loop, retry, start), List.of(p.ttl(), p.loopWait(), p.retryTimeout(), p.primaryStartTimeout()));
        assertEquals(checks, p.haproxyChecks());
    }

    @Test
    void haproxy_reads_a_fraction_of_a_second_only_in_milliseconds() {
        assertEquals("500ms", RtoPlan.haproxyTime("0.5s"));
        assertEquals("1500ms", RtoPlan.haproxyTime("1.5s"));
        assertEquals("2s", RtoPlan.haproxyTime("2s"));
        assertEquals("250ms", RtoPlan.haproxyTime("250ms"));
    }

    @ParameterizedTest(name = "pg_rto {0} recovers within {1} s")
    @CsvSource({"fast, 15", "norm, 30", "safe, 70", "wide, 135"})
    void each_rto_row_keeps_its_recovery_within_its_budget_and_patronis_rule(String rto, int budget) {
        PlanningFixture f = PgsqlFixtures.sandbox("pg_rto=" + rto);
        RtoPlan p = RtoPlan.of(f.ctx().vars(f.node("10.10.10.11")));
        assertTrue(p.leaseOutlastsRetries(), rto + ": loop_wait + 2 * retry_timeout <= ttl");
        // two seconds of the budget are left to the client's retry and a loaded machine
        assertTrue(p.worstCaseRecovery() <= budget - 2, rto + ": " + p.worstCaseRecovery() + " s at worst");
    }

    @Test
    void hba_renders_aliases_roles_and_order() {
        PlanningFixture f = PgsqlFixtures.sandbox();
        ModuleContext ctx = f.ctx();
        ClusterModel m = f.model();
        PgCluster c = m.pgCluster("pg-test").orElseThrow();
        HostVars v = ctx.vars(m.node("10.10.10.11").orElseThrow());
        List<HbaRule> rules = new java.util.ArrayList<>(c.hbaRules());
        rules.add(new HbaRule("cluster members may replicate", "${repl}", "replication", "cluster", "sha", "common", 260, List.of()));
        rules.add(new HbaRule("writes only on the primary", "app", "app", "10.1.0.0/16", "ssl", "primary", 700, List.of()));
        rules.add(new HbaRule("offline etl", "etl", "all", "world", "md5", "offline", 710, List.of()));
        rules.add(new HbaRule("raw", "", "", "", "", "replica", 50, List.of("host all ${admin} 10.9.0.0/16 cert")));
        rules.add(new HbaRule("nobody from here", "all", "all", "10.10.10.1", "deny", "common", 10, List.of()));
        StringBuilder out = new StringBuilder();
        for (PgInstance i : c.instances()) {
            out.append("## ").append(i.name()).append(" (").append(i.role().value()).append(i.offlineQuery() ? ", offline query" : "")
                    .append(")\n");
            Hba.render(rules, i, PgNode.of(ctx, m.node(c.instances().get(0).ip()).orElseThrow()).hbaAliases()).forEach(l -> out.append(l).append('\n'));
        }
        Golden.check("pgsql/golden/hba-pg-test.txt", out.toString());
    }
}
