package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replication topologies on real nodes, from fresh disks ({@code src-test-fixtures/it/topology.yml}):
 * pg-standby on 10.10.10.10 is a standby cluster of pg-test, pg-test-3 a delayed replica that
 * cascades from pg-test-2. The first deploy loses pg-test-3's host in the middle of its PGSQL
 * install: the run names what that host was left without, the others converge, and a second run
 * finishes it. Then a row written on pg-test reaches the standby cluster and the cascade at once,
 * and the delayed replica only after its delay; {@code pig pgsql promote} makes pg-standby a
 * primary cluster, and deploys afterwards keep it one.
 */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlTopologyIT {
    static final Path TOPOLOGY = Path.of(System.getProperty("pig.root", "..")).resolve("src-test-fixtures/it/topology.yml")
            .toAbsolutePath().normalize();
    static final String INV = TOPOLOGY.toString();
    static final List<String> NODES = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final String LOST = "10.10.10.13";

    static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String psql(SandboxExtension.Lab lab, String node, String sql) {
        return lab.psql(node, "test", sql);
    }

    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : NODES) {
            out.put(n, lab.psql(n, "postgres", "SELECT pg_postmaster_start_time()"));
            out.put(n + " patroni", lab.sh(n, "systemctl show -p MainPID patroni"));
        }
        return out;
    }

    static void noChanges(SandboxExtension.Lab lab, String inventory) {
        Map<String, String> before = startTimes(lab);
        Pig again = Pig.run("deploy", "-i", inventory, "-y");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("No changes."), again.out());
        assertEquals(before, startTimes(lab), "a second deploy restarts nothing");
    }

    @Test
    @Order(1)
    void a_host_lost_in_the_middle_of_its_pgsql_install_is_named_with_what_it_was_left_without_and_a_second_run_finishes_it(
            SandboxExtension.Lab lab) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        long t0 = System.nanoTime();
        Future<Pig> deploy = pool.submit(() -> Pig.run("deploy", "-i", INV, "-y"));
        boolean installing = false;
        while (!deploy.isDone() && !installing) {
            installing = lab.run(LOST, "pgrep", "-f", "[a]pt-get.* postgresql-15").exit() == 0;
            if (!installing) {
                Thread.sleep(300);
            }
        }
        assertTrue(installing, "the deploy ended before the PGSQL install on " + LOST + " began");
        System.out.printf("topology: %s loses power %.1f s into the deploy, in its PGSQL install%n", LOST, since(t0));
        System.out.println("[sandbox] " + lab.sandbox().stop(lab.node(LOST), true));
        Pig r = deploy.get(20, TimeUnit.MINUTES);
        pool.shutdown();
        System.out.printf("topology: the deploy with a host lost ended after %.1f s%n", since(t0));
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("Apply failed on 1 host(s)"), r.err());
        assertTrue(r.err().contains("  " + LOST + " was left without "), "the run names what the lost host lacks: " + r.err());
        assertTrue(r.err().contains(" was left without ") && r.err().contains("packages postgresql 15"), r.err());
        // the others were not left half done
        assertEquals("f", psql(lab, "10.10.10.11", "SELECT pg_is_in_recovery()"), "pg-test-1 leads");
        Drill.awaitStreaming(lab, "10.10.10.12", 30);
        Drill.awaitStreaming(lab, "10.10.10.10", 30);

        lab.up();
        long t1 = System.nanoTime();
        Pig rerun = Pig.run("deploy", "-i", INV, "-y");
        System.out.printf("topology: the second run finished %s in %.1f s%n", LOST, since(t1));
        assertEquals(0, rerun.exit(), rerun.out() + rerun.err());
        Drill.awaitStreaming(lab, LOST, 60);
        noChanges(lab, INV);
    }

    @Test
    @Order(2)
    void a_row_written_on_pg_test_reaches_the_standby_cluster_and_the_cascade_at_once_and_the_delayed_replica_after_its_delay(
            SandboxExtension.Lab lab) {
        // who streams from whom: pg-test-3 from pg-test-2, pg-standby-1 and pg-test-2 from pg-test-1
        assertEquals("pg-standby-1|streaming\npg-test-2|streaming",
                lab.psql("10.10.10.11", "postgres", "SELECT application_name, state FROM pg_stat_replication ORDER BY 1"));
        assertEquals("pg-test-3|streaming", lab.psql("10.10.10.12", "postgres", "SELECT application_name, state FROM pg_stat_replication"));
        assertEquals("t", lab.psql("10.10.10.10", "postgres", "SELECT pg_is_in_recovery()"), "the standby cluster follows");
        assertEquals("20s", lab.psql(LOST, "postgres", "SHOW recovery_min_apply_delay"));

        psql(lab, "10.10.10.11", "CREATE TABLE topology_probe(id int PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())");
        // the delayed replica applies the table itself 20 s late: the row is timed once it has it
        lab.sh(LOST, "for i in $(seq 60); do [ \"$(su -s /bin/sh postgres -c \"psql -d test -AtXc \\\"SELECT to_regclass('topology_probe')"
                + " IS NOT NULL\\\"\" 2>/dev/null)\" = t ] && exit 0; sleep 1; done; echo 'no table after 60 s' >&2; exit 1");
        long t0 = System.nanoTime();
        psql(lab, "10.10.10.11", "INSERT INTO topology_probe(id) VALUES (1)");
        double cascade = waitFor(lab, "10.10.10.12", 30);
        double standby = waitFor(lab, "10.10.10.10", 30);
        System.out.printf("topology: a row reaches pg-test-2 after %.1f s, the standby cluster after %.1f s%n", cascade, standby);
        // the cascade receives the WAL at once but replays it 20 s late
        lab.sh(LOST, "sleep 8");
        assertEquals("0", psql(lab, LOST, "SELECT count(*) FROM topology_probe"), "the delayed replica has not applied it yet");
        waitFor(lab, LOST, 60);
        double total = since(t0);
        System.out.printf("topology: the delayed replica (pg_delay 20s) applies it %.1f s after the commit%n", total);
        assertTrue(total >= 19, "applied before its delay: " + total + " s");
    }

    /** Seconds until the probe row is visible on {@code node}, at most {@code seconds}. */
    static double waitFor(SandboxExtension.Lab lab, String node, int seconds) {
        long t0 = System.nanoTime();
        lab.sh(node, "for i in $(seq " + seconds * 5 + "); do [ \"$(su -s /bin/sh postgres -c \"psql -d test -AtXc 'SELECT count(*) FROM"
                + " topology_probe'\" 2>/dev/null)\" = 1 ] && exit 0; sleep 0.2; done; echo 'no row' >&2; exit 1");
        return since(t0);
    }

    @Test
    @Order(3)
    void promote_makes_the_standby_cluster_a_primary_cluster_and_deploys_afterwards_keep_it_one(SandboxExtension.Lab lab)
            throws IOException {
        long t0 = System.nanoTime();
        Pig promote = Pig.run("pgsql", "promote", "-i", INV, "pg-standby", "-y");
        System.out.printf("topology: promote pg-standby: %.1f s%n", since(t0));
        assertEquals(0, promote.exit(), promote.out() + promote.err());
        assertTrue(promote.out().contains("> promote pg-standby: it stops following 10.10.10.11"), promote.out());
        assertTrue(promote.out().contains("Remove pg_upstream from pg-standby-1 (10.10.10.10)"), promote.out());
        assertEquals("f", lab.psql("10.10.10.10", "postgres", "SELECT pg_is_in_recovery()"));
        lab.psql("10.10.10.10", "test", "CREATE TABLE written_on_the_promoted_cluster(id int)");
        assertEquals("pg-test-2|streaming", lab.psql("10.10.10.11", "postgres", "SELECT application_name, state FROM pg_stat_replication"),
                "the promoted cluster no longer streams from pg-test");

        // the inventory unchanged: the deploy says why it leaves the promotion alone, and changes nothing
        Pig plan = Pig.run("plan", "-i", INV, "-v");
        assertTrue(plan.out().contains("pg-standby runs as a primary cluster (promoted) though its primary has pg_upstream"),
                plan.out());
        noChanges(lab, INV);
        assertTrue(Pig.run("pgsql", "promote", "-i", INV, "pg-standby", "-y").out().contains("No changes."), "promoting twice does nothing");

        // the inventory as the message says: pg_upstream gone
        Path promoted = Files.createTempFile("topology-promoted", ".yml");
        Files.writeString(promoted, Files.readString(TOPOLOGY).replace("{ pg_seq: 1, pg_role: primary, pg_upstream: 10.10.10.11 }",
                "{ pg_seq: 1, pg_role: primary }"));
        promoted.toFile().deleteOnExit();
        Pig deploy = Pig.run("deploy", "-i", promoted.toString(), "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertFalse(deploy.out().contains("restart pg-standby"), deploy.out());
        noChanges(lab, promoted.toString());
        assertEquals("f", lab.psql("10.10.10.10", "postgres", "SELECT pg_is_in_recovery()"), "still a primary cluster");
    }
}
