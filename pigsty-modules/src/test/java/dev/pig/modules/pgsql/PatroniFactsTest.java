package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.modules.Fixtures;

/**
 * The Patroni facts parsed from what a real cluster (Patroni 3.0.2, PostgreSQL 15) answered, the
 * comparison of DCS values, and the shell checks the rolling restart waits on, run here on the
 * same recorded answers.
 */
class PatroniFactsTest {

    static String fixture(String name) {
        return Fixtures.read(name);
    }

    @Test
    void the_live_section_reads_the_dcs_config() {
        PatroniLive.View v = new PatroniLive("pg-test", TestPg.PATRONI, List.of("10.10.10.11"))
                .parse(fixture("pgsql/patroni-live-converged.out"));
        assertTrue(v.answered());
        assertEquals(25, v.config().get("primary_start_timeout"));
        assertEquals(250, ((Map<?, ?>) ((Map<?, ?>) v.config().get("postgresql")).get("parameters")).get("max_connections"));
    }

    @Test
    void the_catalog_reads_the_settings_read_only_at_start_and_those_pending() {
        PgCatalog.View v = TestPg.catalog().parse(fixture("pgsql/pg-settings-converged.jsonl"));
        assertTrue(v.answered() && v.primary());
        assertTrue(v.restartOnly().containsAll(Set.of("max_connections", "shared_buffers", "shared_preload_libraries", "wal_level")));
        assertFalse(v.restartOnly().contains("work_mem"));
        assertEquals(Set.of(), v.pending());
        PgCatalog.View pending = TestPg.catalog().parse("[\"state\", true]\n[\"setting\", \"max_connections\", \"postmaster\", true]\n"
                + "[\"setting\", \"work_mem\", \"user\", false]\n[\"end\", true]\n");
        assertTrue(pending.answered() && !pending.primary());
        assertEquals(Set.of("max_connections"), pending.pending());
    }

    @Test
    void the_live_section_is_empty_when_nothing_answers() {
        PatroniLive s = new PatroniLive("pg-test", TestPg.PATRONI, List.of("10.10.10.11"));
        assertFalse(s.parse("").answered());
        assertTrue(s.script().contains("for h in 127.0.0.1 10.10.10.11; do c=$({ curl -sf -m 2 \"http://$h:8008/config\""), s.script());
        // a REST API moving to TLS in this run is still read, in the other scheme
        assertTrue(s.script().contains("|| curl --cacert /pg/cert/ca.crt --cert /pg/cert/server.crt --key /pg/cert/server.key -sf -m 2"
                + " \"https://$h:8008/config\""), s.script());
        assertFalse(TestPg.catalog().parse("").answered());
    }

    @Test
    void members_carry_pending_restart_tags_and_lag() {
        PatroniCluster.View v = new PatroniCluster("pg-test", TestPg.PATRONI, List.of()).parse(fixture("pgsql/patroni-cluster-pending.json"));
        PatroniCluster.Member three = v.member("pg-test-3").orElseThrow();
        assertTrue(three.pendingRestart() && three.tag("nosync") && !three.tag("nofailover") && three.running());
        assertEquals(0, three.lag());
        assertFalse(v.member("pg-test-2").orElseThrow().pendingRestart());
        assertEquals(-1, v.leader().orElseThrow().lag());
        assertFalse(v.paused());
        assertTrue(new PatroniCluster("pg-test", TestPg.PATRONI, List.of()).parse(fixture("pgsql/patroni-cluster-paused.json")).paused());
    }

    @Test
    void dcs_values_compare_as_patroni_reads_them() {
        assertTrue(DcsConfig.same(500, "500"));
        assertTrue(DcsConfig.same("on", true));
        assertTrue(DcsConfig.same(0.9, "0.90"));
        assertFalse(DcsConfig.same("1GB", "2GB"));
        Map<String, Object> body = DcsConfig.patch(List.of(new DcsConfig.Delta("ttl", 30, 20),
                new DcsConfig.Delta("postgresql.parameters.max_connections", 250, 600)));
        assertEquals("{\"ttl\":20,\"postgresql\":{\"parameters\":{\"max_connections\":600}}}", Patroni.json(body));
    }

    @Test
    void the_checks_the_restart_waits_on_read_patronis_answers(@TempDir Path dir) throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 runs the checks, as on the nodes");
        Files.copy(Fixtures.path("pgsql/patroni-status-leader.json"), dir.resolve("10.10.10.11-patroni"));
        Files.copy(Fixtures.path("pgsql/patroni-cluster-converged.json"), dir.resolve("10.10.10.11-cluster"));
        Files.copy(Fixtures.path("pgsql/patroni-cluster-pending.json"), dir.resolve("10.10.10.12-cluster"));
        Files.copy(Fixtures.path("pgsql/patroni-status-replica.json"), dir.resolve("10.10.10.12-patroni"));
        String prelude = TestPg.PATRONI.prelude()
                + "get() { cat '" + dir + "'/$1-$2; }\n";
        assertEquals(0, sh(prelude + "streams pg-test-2 10.10.10.11"), "pg-test-2 streams from the leader");
        assertEquals(1, sh(prelude + "streams pg-test-9 10.10.10.11"));
        assertEquals(0, sh(prelude + "settled pg-test-3 10.10.10.11"));
        assertEquals(1, sh(prelude + "settled pg-test-3 10.10.10.12"), "the DCS still shows pg-test-3 pending");
        assertEquals(1, sh(prelude + "pending 10.10.10.11"));
        assertEquals(0, sh(prelude + "[ \"$(loc 10.10.10.11)\" = 71370280 ]"), "the leader's written WAL position");
        assertEquals(0, sh(prelude + "replayed 10.10.10.12 71370280"), "the replica replayed up to it");
        assertEquals(1, sh(prelude + "replayed 10.10.10.12 71370281"));
    }

    @Test
    void a_promoted_standby_cluster_is_left_primary_and_the_plan_says_what_to_change_in_the_inventory() {
        Map<String, Object> standby = Map.of("standby_cluster", Map.of("host", "10.10.10.11", "port", 5432), "ttl", 24);
        Map<String, Object> primary = Map.of("ttl", 24);
        assertEquals(List.of(), DcsConfig.diff(standby, primary, Set.of()), "nothing patched back into the DCS");
        assertEquals("pg-standby runs as a primary cluster (promoted) though its primary has pg_upstream: pig does not make a running"
                + " cluster follow another; remove pg_upstream from the inventory, or re-create the cluster to follow its upstream again",
                DcsConfig.standbyMismatch(standby, primary, "pg-standby").orElseThrow());
        assertEquals("pg-standby runs as a standby cluster though its primary has no pg_upstream: pig does not promote it because"
                + " pg_upstream is gone; promote it with 'pig pgsql promote pg-standby'",
                DcsConfig.standbyMismatch(primary, standby, "pg-standby").orElseThrow());
        assertTrue(DcsConfig.standbyMismatch(standby, standby, "pg-standby").isEmpty());
    }

    static int sh(String script) throws IOException, InterruptedException {
        // stdin is the curl config the prelude keeps for the step: here an empty one
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
