package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The day-2 verbs on the converged pg-test, each shown as a plan and applied through Patroni:
 * switchover, pause and resume (and a switchover refused to a member that does not run while
 * paused), failover of a paused cluster whose leader is gone (refused while a leader runs), a
 * rolling restart and a restart of one member, reinit of a replica (refused for the leader),
 * reload; and a rolling restart by a deploy whose pig is stopped half way, which the next run
 * finishes, having been told what was left.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlControlIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final Map<String, String> NAMES = Map.of("10.10.10.11", "pg-test-1", "10.10.10.12", "pg-test-2", "10.10.10.13", "pg-test-3");

    static Pig pig(String... args) {
        return Pig.run(args);
    }

    static String started(SandboxExtension.Lab lab, String n) {
        return lab.psql(n, "postgres", "SELECT pg_postmaster_start_time()");
    }

    /** The postmaster's start time, or "down" while it does not take connections (in the middle of its restart). */
    static String startedOrDown(SandboxExtension.Lab lab, String n) {
        try {
            return started(lab, n);
        } catch (AssertionError e) {
            return "down";
        }
    }

    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new LinkedHashMap<>();
        PG_TEST.forEach(n -> out.put(n, started(lab, n)));
        return out;
    }

    static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void replicasStream(SandboxExtension.Lab lab) throws IOException {
        String leader = Drill.leader(lab);
        for (String n : PG_TEST) {
            if (!n.equals(leader)) {
                Drill.awaitStreaming(lab, n, 180);
            }
        }
    }

    @Test
    @Order(1)
    void a_switchover_shows_its_plan_then_hands_the_lead_over_and_the_old_leader_follows(SandboxExtension.Lab lab) throws IOException {
        String leader = Drill.leader(lab);
        String to = PG_TEST.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        long t0 = System.nanoTime();
        Pig r = pig("pgsql", "switchover", "-i", INV, "pg-test", "--to", NAMES.get(to), "-y");
        System.out.printf("control: switchover %s -> %s: %.1f s%n", NAMES.get(leader), NAMES.get(to), since(t0));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().indexOf("> switchover pg-test: " + NAMES.get(leader) + " hands the lead to " + NAMES.get(to))
                < r.out().indexOf("Apply complete"), "the plan comes first: " + r.out());
        assertEquals(to, Drill.leader(lab));
        Drill.awaitStreaming(lab, leader, 60);
    }

    @Test
    @Order(2)
    void a_paused_cluster_refuses_a_switchover_to_a_member_that_does_not_run_and_resumes(SandboxExtension.Lab lab) throws IOException {
        Pig pause = pig("pgsql", "pause", "-i", INV, "pg-test", "-y");
        assertEquals(0, pause.exit(), pause.out() + pause.err());
        assertTrue(pause.out().contains("is paused"), pause.out());
        assertTrue(pig("pgsql", "pause", "-i", INV, "pg-test", "-y").out().contains("No changes."), "pausing twice changes nothing");
        String leader = Drill.leader(lab);
        String down = PG_TEST.stream().filter(n -> !n.equals(leader)).reduce((a, b) -> b).orElseThrow();
        // paused, Patroni leaves a stopped PostgreSQL stopped
        lab.sh(down, "su -s /bin/sh postgres -c '/usr/lib/postgresql/15/bin/pg_ctl -D /pg/data -m fast -w stop'");
        lab.sh(down, "for i in $(seq 30); do curl -sf http://127.0.0.1:8008/cluster | grep -q '\"name\": \"" + NAMES.get(down)
                + "\", \"role\": \"replica\", \"state\": \"stopped\"' && exit 0; sleep 1; done; curl -s http://127.0.0.1:8008/cluster; exit 1");
        Pig refused = pig("pgsql", "switchover", "-i", INV, "pg-test", "--to", down, "-y");
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("no switchover to " + NAMES.get(down) + ": " + NAMES.get(down) + " does not run (Patroni reports it stopped)"),
                refused.err());
        Pig resume = pig("pgsql", "resume", "-i", INV, "pg-test", "-y");
        assertEquals(0, resume.exit(), resume.out() + resume.err());
        Drill.awaitStreaming(lab, down, 120);
    }

    @Test
    @Order(3)
    void a_failover_is_refused_while_a_leader_runs_and_promotes_a_replica_of_a_paused_cluster_whose_leader_is_gone(
            SandboxExtension.Lab lab) throws IOException {
        Pig refused = pig("pgsql", "failover", "-i", INV, "pg-test", "-y");
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("leads pg-test and runs: a failover is for a cluster without a healthy leader"), refused.err());

        // paused, Patroni fails nothing over by itself: the leader gone, the cluster waits for someone to choose
        assertEquals(0, pig("pgsql", "pause", "-i", INV, "pg-test", "-y").exit());
        String leader = Drill.leader(lab);
        String via = PG_TEST.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        lab.sh(leader, "kill -9 $(systemctl show -p MainPID --value patroni) $(head -n 1 /pg/data/postmaster.pid); systemctl stop patroni");
        lab.sh(via, "for i in $(seq 90); do curl -sf http://127.0.0.1:8008/cluster | grep -q '\"role\": \"leader\"' || exit 0; sleep 1; done;"
                + " echo 'the leader key did not expire' >&2; exit 1");
        long t0 = System.nanoTime();
        Pig r = pig("pgsql", "failover", "-i", INV, "pg-test", "-y");
        System.out.printf("control: failover of paused pg-test without its leader: %.1f s%n", since(t0));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("> failover pg-test: promote "), r.out());
        String elected = Drill.leader(lab);
        assertNotEquals(leader, elected);
        assertEquals("f", lab.psql(elected, "postgres", "SELECT pg_is_in_recovery()"));

        assertEquals(0, pig("pgsql", "resume", "-i", INV, "pg-test", "-y").exit());
        lab.sh(leader, "systemctl start patroni");
        Drill.awaitStreaming(lab, leader, 180);
        replicasStream(lab);
    }

    @Test
    @Order(4)
    void a_rolling_restart_restarts_the_replicas_then_the_leader_and_one_member_alone(SandboxExtension.Lab lab) throws IOException {
        String leader = Drill.leader(lab);
        Map<String, String> before = startTimes(lab);
        long t0 = System.nanoTime();
        Pig r = pig("pgsql", "restart", "-i", INV, "pg-test", "-y");
        System.out.printf("control: rolling restart of pg-test: %.1f s%n", since(t0));
        assertEquals(0, r.exit(), r.out() + r.err());
        Map<String, String> after = startTimes(lab);
        for (String n : PG_TEST) {
            assertNotEquals(before.get(n), after.get(n), n + " restarted");
            if (!n.equals(leader)) {
                assertTrue(after.get(n).compareTo(after.get(leader)) < 0, n + " restarted before the leader");
            }
        }
        assertEquals(leader, Drill.leader(lab), "the leader restarts in place");
        replicasStream(lab);

        String one = PG_TEST.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        Pig single = pig("pgsql", "restart", "-i", INV, "pg-test", NAMES.get(one), "-y");
        assertEquals(0, single.exit(), single.out() + single.err());
        Map<String, String> now = startTimes(lab);
        for (String n : PG_TEST) {
            assertEquals(n.equals(one), !now.get(n).equals(after.get(n)), n);
        }
    }

    @Test
    @Order(5)
    void reinit_clones_a_replica_again_and_is_refused_for_the_leader(SandboxExtension.Lab lab) throws IOException {
        String leader = Drill.leader(lab);
        Pig refused = pig("pgsql", "reinit", "-i", INV, NAMES.get(leader), "-y");
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains(NAMES.get(leader) + " leads pg-test: reinit rebuilds a replica"), refused.err());

        String replica = PG_TEST.stream().filter(n -> !n.equals(leader)).reduce((a, b) -> b).orElseThrow();
        lab.sh(replica, "touch /pg/data/pig-reinit-marker");
        long t0 = System.nanoTime();
        Pig r = pig("pgsql", "reinit", "-i", INV, replica, "-y");
        System.out.printf("control: reinit of %s: %.1f s%n", NAMES.get(replica), since(t0));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(lab.run(replica, "test", "-e", "/pg/data/pig-reinit-marker").exit() != 0, "the data directory was cloned again");
        Drill.awaitStreaming(lab, replica, 60);
    }

    @Test
    @Order(6)
    void reload_makes_every_member_apply_what_its_patroni_yml_says_without_a_restart(SandboxExtension.Lab lab) {
        Map<String, String> before = startTimes(lab);
        // a setting changed in the file by hand: Patroni reads it again only when told
        for (String n : PG_TEST) {
            lab.sh(n, "sed -i 's/^    log_min_duration_statement: 100$/    log_min_duration_statement: 250/' /etc/patroni/patroni.yml"
                    + " && grep -q '^    log_min_duration_statement: 250$' /etc/patroni/patroni.yml");
        }
        Pig r = pig("pgsql", "reload", "-i", INV, "pg-test", "-y");
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String n : PG_TEST) {
            lab.sh(n, "for i in $(seq 40); do [ \"$(su -s /bin/sh postgres -c \"psql -AtXc 'SHOW log_min_duration_statement'\")\" = 250ms ]"
                    + " && exit 0; sleep 0.5; done; exit 1");
        }
        assertEquals(before, startTimes(lab), "a reload restarts nothing");
        // the inventory still says 100: a deploy puts the file back, and then nothing is left to do
        Pig deploy = pig("deploy", "-i", INV, "-l", "pg-test", "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        Pig plan = pig("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), "the verbs leave the cluster matching the inventory: " + plan.out() + plan.err());
    }

    @Test
    @Order(7)
    void a_rolling_restart_whose_pig_is_stopped_half_way_says_what_is_left_and_the_next_run_finishes_it(SandboxExtension.Lab lab) throws Exception {
        Path inv = Files.createTempFile("control-max-conn", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("        pg_cluster: pg-test\n",
                "        pg_cluster: pg-test\n        pg_max_conn: 400\n"));
        inv.toFile().deleteOnExit();
        String leader = Drill.leader(lab);
        Map<String, String> before = startTimes(lab);
        String first = PG_TEST.stream().filter(n -> !n.equals(leader)).sorted((a, b) -> NAMES.get(a).compareTo(NAMES.get(b))).findFirst()
                .orElseThrow();

        Path jar = Path.of(System.getProperty("pig.root", "..")).resolve("pigsty-cli/target/pig.jar").toAbsolutePath();
        Path log = Path.of("target/interrupted-restart.log").toAbsolutePath();
        Process pig = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
                "deploy", "-i", inv.toString(), "-l", "pg-test", "-y")
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        // stopped once the first replica has restarted: the rolling restart is half way
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        // (polled while it restarts: down counts as not restarted yet)
        while (pig.isAlive() && System.nanoTime() < deadline && Set.of(before.get(first), "down").contains(startedOrDown(lab, first))) {
            Thread.sleep(500);
        }
        assertTrue(pig.isAlive(), "the deploy ended before it could be stopped: " + Files.readString(log));
        pig.destroy(); // SIGTERM, as a terminal's Ctrl-C or a CI job's timeout
        assertTrue(pig.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        System.out.print(out);
        assertTrue(out.contains("pig was stopped during step ") && out.contains("rolling restart; not applied, or cut short:")
                && out.contains("  " + leader + ": rolling restart"), "pig says what it left: " + out);
        assertTrue(out.contains("Run the same command again: it plans what is left."), out);

        // what the killed pig's last step began on the leader's host may still finish there; let it settle
        lab.sh(leader, "for i in $(seq 120); do curl -sf http://127.0.0.1:8008/cluster | python3 -c 'import json,sys; "
                + "m=json.load(sys.stdin)[\"members\"]; sys.exit(0 if len(m)==3 and all(x[\"state\"] in (\"running\",\"streaming\") for x in m) else 1)'"
                + " && exit 0; sleep 1; done; exit 1");
        Pig plan = pig("plan", "-i", inv.toString(), "-l", "pg-test");
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("~ restart pg-test (") && (plan.out().contains("pending on " + NAMES.get(leader))
                || plan.out().contains("pending restart on " + NAMES.get(leader))), "the next plan names the member still waiting: " + plan.out());

        long t0 = System.nanoTime();
        Pig rerun = pig("deploy", "-i", inv.toString(), "-l", "pg-test", "-y");
        System.out.printf("control: the rolling restart finished by a second run: %.1f s%n", since(t0));
        assertEquals(0, rerun.exit(), rerun.out() + rerun.err());
        // the switchover's last replica follows its new leader on its own: waited for, up to 180 s
        replicasStream(lab);
        for (String n : PG_TEST) {
            assertEquals("400", lab.psql(n, "postgres", "SHOW max_connections"), n);
        }
        assertEquals(0, pig("plan", "-i", inv.toString(), "--detailed-exitcode").exit(), "converged");
    }
}
