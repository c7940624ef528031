package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How pig changes settings of a running pg-test: a reloadable one with a reload and no restart;
 * a cluster-wide one that needs a restart through the DCS config and a rolling restart, replicas
 * first, then a switchover; and after a switchover by hand, a plan with nothing to do.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlRestartIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final Map<String, String> NAMES = Map.of("10.10.10.11", "pg-test-1", "10.10.10.12", "pg-test-2", "10.10.10.13", "pg-test-3");
    static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter PG_TIME = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd().appendPattern("X").toFormatter();

    static String sh(SandboxExtension.Lab lab, String node, String command) {
        return PgsqlIT.sh(lab, node, command);
    }

    static String show(SandboxExtension.Lab lab, String node, String setting) {
        return PgsqlIT.psql(lab, node, "SHOW " + setting);
    }

    /** The postmaster start time of each member, by IP. */
    static Map<String, OffsetDateTime> started(SandboxExtension.Lab lab) {
        Map<String, OffsetDateTime> out = new LinkedHashMap<>();
        for (String n : PG_TEST) {
            out.put(n, OffsetDateTime.parse(PgsqlIT.psql(lab, n, "SELECT pg_postmaster_start_time()"), PG_TIME));
        }
        return out;
    }

    /** Who leads pg-test, as Patroni reports. */
    static String leader(SandboxExtension.Lab lab) throws IOException {
        for (JsonNode m : JSON.readTree(sh(lab, "10.10.10.11", "curl -sf http://127.0.0.1:8008/cluster")).path("members")) {
            if (m.path("role").asText().equals("leader")) {
                return m.path("name").asText();
            }
        }
        throw new AssertionError("pg-test has no leader");
    }

    static Path inventory(String extraVars) throws IOException {
        Path inv = Files.createTempFile("pgsql-restart", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("        pg_cluster: pg-test\n",
                "        pg_cluster: pg-test\n" + extraVars));
        inv.toFile().deleteOnExit();
        return inv;
    }

    static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    @Order(1)
    void the_converged_sandbox_plans_nothing() {
        long t1 = System.nanoTime();
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        System.out.printf("pgsql restart: no-op plan: %.1f s%n", since(t1));
        assertEquals(0, plan.exit(), plan.out() + plan.err());
    }

    @Test
    @Order(2)
    void a_reloadable_setting_is_applied_with_a_reload_and_no_restart(SandboxExtension.Lab lab) throws IOException {
        Map<String, OffsetDateTime> before = started(lab);
        Path inv = inventory("        pg_parameters: { work_mem: 48MB }\n");
        Pig plan = Pig.run("plan", "-i", inv.toString(), "-l", "pg-test", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("reload patroni (/etc/patroni/patroni.yml changed)"), plan.out());
        assertFalse(plan.out().contains("restart pg-test") || plan.out().contains("patroni config"), plan.out());

        long t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-l", "pg-test", "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        for (String n : PG_TEST) {
            sh(lab, n, "for i in $(seq 30); do [ \"$(su -s /bin/sh postgres -c \"psql -AtXqc 'SHOW work_mem'\")\" = 48MB ] && exit 0;"
                    + " sleep 1; done; exit 1");
        }
        System.out.printf("pgsql restart: work_mem applied with a reload: %.1f s%n", since(t0));
        assertEquals(before, started(lab), "a reload restarts nothing");
        Pig again = Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode");
        assertEquals(0, again.exit(), again.out() + again.err());
    }

    @Test
    @Order(3)
    void a_setting_that_needs_a_restart_rolls_through_the_replicas_then_switches_over(SandboxExtension.Lab lab) throws IOException {
        assertEquals("pg-test-1", leader(lab));
        assertEquals("250", show(lab, "10.10.10.11", "max_connections"));
        Map<String, OffsetDateTime> before = started(lab);
        Path inv = inventory("        pg_parameters: { work_mem: 48MB }\n        pg_max_conn: 600\n");
        Pig plan = Pig.run("plan", "-i", inv.toString(), "-l", "pg-test", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("~ patroni config of pg-test: max_connections 250 -> 600"), plan.out());
        assertTrue(plan.out().contains("~ restart pg-test (max_connections 250 -> 600): pg-test-2, pg-test-3, then switchover"
                + " to pg-test-2 (pg-test-1 restarts as its replica)"), plan.out());
        assertFalse(plan.out().contains("Patroni.API"), "the REST password is shown: " + plan.out());

        long t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-l", "pg-test", "-y");
        System.out.printf("pgsql restart: DCS change and rolling restart of 3 members: %.1f s%n", since(t0));
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());

        for (String n : PG_TEST) {
            assertEquals("600", show(lab, n, "max_connections"), n);
        }
        assertEquals("pg-test-2", leader(lab), "the switchover moved the lead; pig does not switch back");
        assertEquals("t", PgsqlIT.psql(lab, "10.10.10.11", "SELECT pg_is_in_recovery()"), "the old primary is a replica");
        assertEquals("streaming\nstreaming", PgsqlIT.psql(lab, "10.10.10.12", "SELECT state FROM pg_stat_replication"));
        Map<String, OffsetDateTime> after = started(lab);
        for (String n : PG_TEST) {
            assertTrue(after.get(n).isAfter(before.get(n)), NAMES.get(n) + " was not restarted: " + before + " " + after);
        }
        assertTrue(after.get("10.10.10.12").isBefore(after.get("10.10.10.13")), "pg-test-2 restarts before pg-test-3: " + after);
        assertTrue(after.get("10.10.10.13").isBefore(after.get("10.10.10.11")), "the replicas restart before the old primary: " + after);

        lab.awaitBackup("10.10.10.12", "pg-test");
        System.out.printf("pgsql restart: the new leader's repository ready: %.1f s%n", since(t0));
        long t1 = System.nanoTime();
        Pig again = Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode");
        System.out.printf("pgsql restart: plan after the rolling restart: %.1f s%n", since(t1));
        assertEquals(0, again.exit(), again.out() + again.err());
    }

    @Test
    @Order(4)
    void a_switchover_by_hand_leaves_nothing_to_plan(SandboxExtension.Lab lab) throws IOException {
        Path inv = inventory("        pg_parameters: { work_mem: 48MB }\n        pg_max_conn: 600\n");
        Map<String, OffsetDateTime> before = started(lab);
        long t0 = System.nanoTime();
        sh(lab, "10.10.10.12", "su -s /bin/sh postgres -c 'patronictl -c /etc/patroni/patroni.yml switchover --leader pg-test-2"
                + " --candidate pg-test-3 --force'");
        sh(lab, "10.10.10.13", "for i in $(seq 60); do curl -sf -o /dev/null http://127.0.0.1:8008/leader && exit 0; sleep 1; done; exit 1");
        sh(lab, "10.10.10.12", "for i in $(seq 120); do curl -sf http://127.0.0.1:8008/patroni | grep -q '\"role\": \"replica\"'"
                + " && curl -sf http://10.10.10.13:8008/patroni | grep -q '\"application_name\": \"pg-test-2\", \"client_addr\": \"10.10.10.12\","
                + " \"state\": \"streaming\"' && exit 0; sleep 1; done; exit 1");
        System.out.printf("pgsql restart: switchover by hand: %.1f s%n", since(t0));
        assertEquals("pg-test-3", leader(lab));
        Map<String, OffsetDateTime> moved = started(lab);
        // the new leader's role-change callback makes its stanza and a first backup
        lab.awaitBackup("10.10.10.13", "pg-test");
        System.out.printf("pgsql restart: the new leader's repository ready: %.1f s%n", since(t0));

        long t1 = System.nanoTime();
        Pig plan = Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode");
        System.out.printf("pgsql restart: plan after a switchover by hand: %.1f s%n", since(t1));
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(moved, started(lab), "a deploy after the switchover restarts nothing");
        assertEquals("pg-test-3", leader(lab));
        assertTrue(moved.get("10.10.10.12").isAfter(before.get("10.10.10.12")), "the demoted leader restarted as a replica");
    }

    @Test
    @Order(5)
    void a_lower_max_connections_restarts_the_leader_first_then_the_replicas(SandboxExtension.Lab lab) throws IOException {
        assertEquals("pg-test-3", leader(lab));
        Map<String, OffsetDateTime> before = started(lab);
        Path inv = inventory("        pg_parameters: { work_mem: 48MB }\n        pg_max_conn: 300\n");
        Pig plan = Pig.run("plan", "-i", inv.toString(), "-l", "pg-test", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("~ restart pg-test (max_connections 600 -> 300): pg-test-3 in place first (a lowered"
                + " max_connections must reach the primary before its replicas), pg-test-1, pg-test-2"), plan.out());

        long t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-l", "pg-test", "-y");
        System.out.printf("pgsql restart: lower max_connections, leader first: %.1f s%n", since(t0));
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        for (String n : PG_TEST) {
            assertEquals("300", show(lab, n, "max_connections"), n);
        }
        assertEquals("pg-test-3", leader(lab), "no switchover");
        Map<String, OffsetDateTime> after = started(lab);
        assertTrue(after.get("10.10.10.13").isBefore(after.get("10.10.10.11")), "the leader restarts first: " + after);
        assertTrue(after.get("10.10.10.11").isBefore(after.get("10.10.10.12")), after.toString());
        assertTrue(after.get("10.10.10.13").isAfter(before.get("10.10.10.13")));
        Pig again = Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode");
        assertEquals(0, again.exit(), "a replica restarted after its primary runs the lower value, nothing pending: " + again.out());
    }
}
