package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pig.it.Drill.Route;

/**
 * Failure drills on the converged pg-test, each measured by a client writing steadily through a
 * surviving member's primary service and through the VIP ({@link Drill}), each printing how long
 * writes stopped and failing over its budget: 30 s with {@code pg_rto: norm}, 15 s with
 * {@code fast}. With {@code pg_rpo: 0} (synchronous mode) no acknowledged commit may be lost;
 * with the default asynchronous replication the loss is printed.
 *
 * <p>In order, each leaving a healthy cluster to the next: a node shut down and started again
 * plans nothing; the leader's postmaster killed; its Patroni killed; its host's power cut (the
 * node stays down until its replacement leads, then boots and rejoins); then synchronous mode: a
 * network partition of the leader (never two members accepting writes, the isolated one demotes
 * itself, and rejoins as a replica when its link returns); then {@code pg_rto: fast}, the power
 * cut again; last, etcd grown to three members, one lost, then its quorum lost, with Patroni's
 * failsafe mode keeping the primary while it reaches every member, and demoting it when it does not.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlDrillIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final double NORM = 30;
    static final double FAST = 15;

    /** Another member than {@code leader}: where the client's primary service route goes. */
    static String other(String leader) {
        return PG_TEST.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    }

    static List<Route> routes(String leader) {
        return List.of(Route.service(other(leader)), Route.vip());
    }

    /** What must not restart on a re-run: postmaster, Patroni, PgBouncer and HAProxy of each member. */
    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : PG_TEST) {
            out.put(n, lab.psql(n, "postgres", "SELECT pg_postmaster_start_time()"));
            for (String unit : List.of("patroni", "pgbouncer", "haproxy", "keepalived")) {
                out.put(n + " " + unit, lab.sh(n, "systemctl show -p MainPID -p ActiveEnterTimestamp " + unit));
            }
        }
        return out;
    }

    /** A deploy that brings the topology a drill left in line with {@code inventory}, then one that changes nothing. */
    static void converge(SandboxExtension.Lab lab, String inventory, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("deploy", "-i", inventory, "-y"));
        args.addAll(List.of(extra));
        Pig deploy = Pig.run(args.toArray(String[]::new));
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        Map<String, String> before = startTimes(lab);
        Pig again = Pig.run(args.toArray(String[]::new));
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("No changes."), again.out());
        assertEquals(before, startTimes(lab), "a second deploy restarts nothing");
    }

    @Test
    @Order(1)
    void a_node_shut_down_and_started_again_plans_nothing(SandboxExtension.Lab lab) {
        String node = "10.10.10.13";
        System.out.println("[sandbox] " + lab.sandbox().stop(lab.node(node), false));
        lab.up();
        Drill.awaitSteadyStreaming(lab, node, 120);
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), "a restarted node keeps what pig made of it: " + plan.out() + plan.err());
    }

    @Test
    @Order(2)
    void a_killed_postmaster_is_restarted_in_place_and_loses_nothing(SandboxExtension.Lab lab) throws IOException {
        String leader = Drill.leader(lab);
        Drill d = Drill.start(lab, "crash", leader, routes(leader));
        d.fault();
        lab.sh(leader, "kill -9 $(head -n 1 /pg/data/postmaster.pid)");
        d.awaitWrites(60);
        Map<Route, Drill.Seen> seen = d.stop(leader);
        // the primary's own WAL holds every commit it acknowledged: its crash recovery replays them
        Drill.check("postmaster killed (norm)", seen, NORM, true);
        assertEquals(leader, Drill.leader(lab, leader), "the leader stays where it was");
    }

    @Test
    @Order(3)
    void a_killed_patroni_is_restarted_and_the_primary_keeps_its_data(SandboxExtension.Lab lab) throws IOException {
        String leader = Drill.leader(lab);
        Drill d = Drill.start(lab, "patroni", leader, routes(leader));
        d.fault();
        lab.sh(leader, "kill -9 $(systemctl show -p MainPID --value patroni)");
        d.awaitWrites(60);
        Map<Route, Drill.Seen> seen = d.stop(leader);
        Drill.check("patroni killed (norm)", seen, NORM, true);
        assertEquals(leader, Drill.leader(lab, leader), "Patroni, restarted by systemd, still holds the leader key");
        lab.sh(leader, "for i in $(seq 60); do systemctl is-active -q patroni && exit 0; sleep 1; done; exit 1");
    }

    @Test
    @Order(4)
    void a_leader_whose_host_loses_power_is_replaced_within_the_norm_budget(SandboxExtension.Lab lab) throws IOException {
        powerLoss(lab, "powernorm", "power loss (norm, async)", NORM, false);
        converge(lab, INV);
    }

    /**
     * Cuts the power of the leader's host and keeps it down until a replica leads, measures the
     * writes, then boots the host again and waits until it streams from the new leader.
     */
    static void powerLoss(SandboxExtension.Lab lab, String id, String drill, double budget, boolean noLoss) throws IOException {
        String leader = Drill.leader(lab);
        String via = other(leader);
        Drill d = Drill.start(lab, id, via, routes(leader));
        d.fault();
        System.out.println("[sandbox] " + lab.sandbox().stop(lab.node(leader), true));
        String elected = Drill.awaitNewLeader(lab, via, leader, 120);
        d.awaitWrites(60);
        Map<Route, Drill.Seen> seen = d.stop(via);
        double worst = Drill.check(drill, seen, budget, noLoss);
        System.out.printf("drill: %s: %s took over from %s; writes back after %.1f s at worst (budget %.0f s)%n", drill, elected, leader,
                worst, budget);
        assertTrue(lab.sh(elected, "ip -o -4 addr show").contains("inet 10.10.10.3/24"), "the VIP moved to the new leader");

        lab.up();
        Drill.awaitStreaming(lab, leader, 180);
        assertEquals("t", lab.psql(leader, "postgres", "SELECT pg_is_in_recovery()"), leader + " came back as a replica");
        assertEquals(elected, Drill.leader(lab, leader), "the new leader keeps the lead");
    }

    @Test
    @Order(5)
    void a_partitioned_leader_demotes_itself_no_two_members_accept_writes_and_it_rejoins(SandboxExtension.Lab lab) throws IOException {
        converge(lab, INV, "-e", "pg_rpo=0");
        String leader = Drill.leader(lab);
        String via = other(leader);
        Drill.awaitSyncStandby(lab, via, 60);
        Drill.startWritablePolls(lab, PG_TEST);
        Drill d = Drill.start(lab, "partition", via, routes(leader));
        d.fault();
        System.out.println("[sandbox] " + lab.sandbox().link(lab.node(leader), false));
        String elected = Drill.awaitNewLeader(lab, via, leader, 120);
        d.awaitWrites(60);
        Map<Route, Drill.Seen> seen = d.stop(via);
        double worst = Drill.check("partition (norm, sync)", seen, NORM, true);
        System.out.printf("drill: partition of %s: %s took over; writes back after %.1f s at worst%n", leader, elected, worst);

        System.out.println("[sandbox] " + lab.sandbox().link(lab.node(leader), true));
        Drill.awaitStreaming(lab, leader, 180);
        Map<String, List<double[]>> spans = Drill.writableSpans(lab, PG_TEST);
        Drill.assertNeverTwoWritable(spans);
        List<double[]> isolated = spans.get(leader);
        assertTrue(!isolated.isEmpty() && isolated.get(isolated.size() - 1)[1] < Double.POSITIVE_INFINITY,
                "the isolated leader stopped accepting writes");
        double demotedAfter = isolated.get(isolated.size() - 1)[1] - d.faultAt();
        double promotedAfter = spans.get(elected).get(spans.get(elected).size() - 1)[0] - d.faultAt();
        System.out.printf("drill: partition: %s stopped accepting writes %.1f s after its link was cut, %s started %.1f s after%n",
                leader, demotedAfter, elected, promotedAfter);
        assertEquals("t", lab.psql(leader, "postgres", "SELECT pg_is_in_recovery()"), "the isolated leader rejoined as a replica");
    }

    @Test
    @Order(6)
    void with_pg_rto_fast_a_leader_whose_host_loses_power_is_replaced_within_15_s_and_sync_loses_nothing(SandboxExtension.Lab lab)
            throws IOException {
        converge(lab, INV, "-e", "pg_rpo=0", "-e", "pg_rto=fast");
        Drill.awaitSyncStandby(lab, other(Drill.leader(lab)), 60);
        powerLoss(lab, "powerfast", "power loss (fast, sync)", FAST, true);
        converge(lab, INV);
    }

    /** The sandbox inventory with etcd on {@code members}: pg-meta-1's node, then members of pg-test. */
    static Path etcdOn(String... members) throws IOException {
        Path inv = Files.createTempFile("drill-etcd", ".yml");
        String s = Files.readString(Path.of(INV));
        String one = "        10.10.10.10: { etcd_seq: 1 }\n      vars:\n        etcd_cluster: etcd\n";
        assertTrue(s.contains(one), "the sandbox inventory's etcd group changed: update this drill");
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < members.length; i++) {
            hosts.append("        ").append(members[i]).append(": { etcd_seq: ").append(i + 1).append(" }\n");
        }
        Files.writeString(inv, s.replace(one, hosts + "      vars:\n        etcd_cluster: etcd\n"));
        inv.toFile().deleteOnExit();
        return inv;
    }

    @Test
    @Order(7)
    void losing_one_etcd_member_of_three_does_not_stop_writes(SandboxExtension.Lab lab) throws IOException {
        // one member at a time, as etcd admits them: each new member must run before the next is announced
        Pig two = Pig.run("deploy", "-i", etcdOn("10.10.10.10", "10.10.10.11").toString(), "-y");
        assertEquals(0, two.exit(), two.out() + two.err());
        Path inv = etcdOn("10.10.10.10", "10.10.10.11", "10.10.10.12");
        converge(lab, inv.toString());
        for (String m : List.of("10.10.10.10", "10.10.10.11", "10.10.10.12")) {
            assertTrue(lab.sh(Drill.CLIENT, "curl -sf -m 3 --cacert /etc/etcd/pki/ca.crt --cert /etc/etcd/pki/server.crt --key /etc/etcd/pki/server.key https://" + m
                    + ":2379/health").contains("\"health\":\"true\""), m + "'s etcd");
        }
        String leader = Drill.leader(lab);
        Drill d = Drill.start(lab, "etcdone", other(leader), routes(leader));
        d.fault();
        lab.sh("10.10.10.12", "systemctl kill -s KILL etcd; systemctl stop etcd");
        lab.sh(Drill.CLIENT, "sleep 15");
        Map<Route, Drill.Seen> seen = d.stop(other(leader));
        Drill.check("one etcd member of three lost (norm)", seen, NORM, false);
        assertEquals(leader, Drill.leader(lab, leader), "the leader stays");
        lab.sh("10.10.10.12", "systemctl start etcd");
    }

    @Test
    @Order(8)
    void with_etcd_quorum_lost_failsafe_mode_keeps_the_primary_while_it_reaches_every_member(SandboxExtension.Lab lab) throws IOException {
        String leader = Drill.leader(lab);
        String via = other(leader);
        Drill.startWritablePolls(lab, PG_TEST);
        Drill d = Drill.start(lab, "quorum", via, routes(leader));
        d.fault();
        for (String n : List.of("10.10.10.11", "10.10.10.12")) {
            lab.sh(n, "systemctl kill -s KILL etcd; systemctl stop etcd");
        }
        // several leases long: without failsafe mode the leader would have demoted itself by now
        lab.sh(Drill.CLIENT, "sleep 40");
        Map<Route, Drill.Seen> seen = d.stop(via);
        Drill.check("etcd quorum lost, every member reachable (norm)", seen, NORM, true);
        assertEquals("f", lab.psql(leader, "postgres", "SELECT pg_is_in_recovery()"), "failsafe mode keeps the primary");

        // failsafe mode holds only while the leader reaches every member: one Patroni gone, it steps down
        String replica = PG_TEST.stream().filter(n -> !n.equals(leader)).reduce((a, b) -> b).orElseThrow();
        lab.sh(replica, "systemctl stop patroni");
        long t0 = System.nanoTime();
        lab.sh(leader, "for i in $(seq 60); do [ \"$(su -s /bin/sh postgres -c \"psql -AtXc 'SELECT pg_is_in_recovery()'\" 2>/dev/null)\""
                + " = f ] || exit 0; sleep 1; done; echo 'still the primary' >&2; exit 1");
        System.out.printf("drill: etcd quorum lost and %s's Patroni stopped: %s stopped accepting writes after %.1f s%n", replica, leader,
                (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        for (String n : List.of("10.10.10.11", "10.10.10.12")) {
            lab.sh(n, "systemctl start etcd");
        }
        lab.sh(replica, "systemctl start patroni");
        String now = null;
        for (int i = 0; i < 120 && now == null; i++) {
            lab.sh(Drill.CLIENT, "sleep 1");
            try {
                now = Drill.leader(lab, via);
            } catch (AssertionError | IOException e) {
                now = null;
            }
        }
        assertTrue(now != null, "no leader after etcd came back");
        lab.sh(Drill.CLIENT, "for i in $(seq 60); do PGCONNECT_TIMEOUT=1 PGPASSWORD=test psql -h " + via + " -p 5433 -U test -d test"
                + " -AtXqc 'SELECT 1' >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1");
        System.out.printf("drill: etcd quorum back: %s leads and takes writes %.1f s later%n", now, (System.nanoTime() - t1) / 1e9);
        Drill.assertNeverTwoWritable(Drill.writableSpans(lab, PG_TEST));
        for (String n : PG_TEST) {
            if (!n.equals(now)) {
                Drill.awaitStreaming(lab, n, 180);
            }
        }
        assertNotEquals(null, now);
    }
}
