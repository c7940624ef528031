package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sandbox's node VIP ({@code vip_enabled}, group {@code gateway}) on two members of pg-test,
 * beside pg-test's own VIP in the same keepalived: held by its master, turned off and on again
 * with a reload and no restart, handed over when its holder stops or dies, left where it is when
 * the master comes back (no preemption), and kept to the hosts that know its password (VRRP
 * authentication); then pg-test's VIP moved to VRRPv2 with a password ({@code pg_vip_auth_pass}).
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeVipIT {
    static final String VIP = "10.10.10.9";
    static final String MASTER = "10.10.10.12";
    static final String BACKUP = "10.10.10.13";
    static final String LEADER = "10.10.10.11";
    /** VRRPv2 with 1 s adverts: a backup claims the address after 3 missed adverts and its skew, under 4 s. */
    static final double FAILOVER_BUDGET_S = 6.0;
    /** A master that stops sends an advert of priority 0, which the backup answers at once. */
    static final double HANDOVER_BUDGET_S = 2.0;
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final String ENABLED = "        vip_enabled: true\n        vip_address: " + VIP + "\n";
    static final ScratchInventory SCRATCH = new ScratchInventory("node-vip");

    static boolean holds(SandboxExtension.Lab lab, String node, String address) {
        return lab.sh(node, "ip -o -4 addr show").contains("inet " + address + "/");
    }

    /** Seconds until {@code node} holds (or no longer holds) the node VIP, polling every 100 ms; fails after {@code limit}. */
    static double await(SandboxExtension.Lab lab, String node, boolean held, double limit) throws InterruptedException {
        return await(lab, node, VIP, held, limit);
    }

    /** Seconds until {@code node} holds (or no longer holds) {@code address}, polling every 100 ms; fails after {@code limit}. */
    static double await(SandboxExtension.Lab lab, String node, String address, boolean held, double limit) throws InterruptedException {
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0) / 1e9 < limit) {
            if (holds(lab, node, address) == held) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node + (held ? " does not hold " : " still holds ") + address + " after " + limit + " s");
    }

    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : List.of(LEADER, MASTER, BACKUP)) {
            for (String unit : List.of("keepalived", "patroni", "haproxy")) {
                out.put(n + " " + unit, lab.sh(n, "systemctl show -p MainPID -p ActiveEnterTimestamp " + unit));
            }
        }
        return out;
    }

    /**
     * After a cold start of the sandbox (its converged disks restored) the node VIP is on the
     * member whose keepalived came up first, and {@code vip_preempt: false} leaves it there. The
     * tests start from the master holding it: one member claims it within 10 s of the start, and
     * a backup holding it is handed over to the master by a restart of its keepalived (a stopping
     * keepalived sends an advert of priority 0).
     */
    @BeforeAll
    static void vipOnItsMaster(SandboxExtension.Lab lab) throws Exception {
        long t0 = System.nanoTime();
        while (!holds(lab, MASTER, VIP) && !holds(lab, BACKUP, VIP)) {
            if ((System.nanoTime() - t0) / 1e9 > 10) {
                throw new AssertionError("no member holds " + VIP + " 10 s after the sandbox started");
            }
            Thread.sleep(100);
        }
        if (holds(lab, BACKUP, VIP)) {
            System.out.printf("node vip: %s came up first and holds %s; handed over to %s%n", BACKUP, VIP, MASTER);
            lab.sh(BACKUP, "systemctl restart keepalived");
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        SCRATCH.close();
    }

    @Test
    @Order(1)
    void the_master_holds_the_node_vip_beside_the_clusters_vip_and_the_infra_node_reaches_and_names_it(SandboxExtension.Lab lab)
            throws Exception {
        await(lab, MASTER, true, 10);
        assertFalse(holds(lab, BACKUP, VIP), "only the master holds " + VIP);
        assertTrue(holds(lab, LEADER, "10.10.10.3"), "pg-test's VIP is on its leader");
        assertFalse(holds(lab, MASTER, "10.10.10.3") || holds(lab, BACKUP, "10.10.10.3"), "pg-test's VIP is on the leader alone");
        assertTrue(lab.sh(MASTER, "cat /etc/keepalived/conf.d/node-vip.conf").contains("auth_pass Gw.Vrrp1"));
        assertEquals("-rw------- root root", lab.sh(MASTER, "stat -c '%A %U %G' /etc/keepalived/conf.d/node-vip.conf"),
                "the password is root's alone");
        // it answers from the infra node (HAProxy's default service on the master, to pg-test's
        // primary), which probes it and names it <node_cluster><vip_dns_suffix>
        assertEquals("f", lab.sh("10.10.10.10", "PGCONNECT_TIMEOUT=3 PGPASSWORD=test psql -h " + VIP
                + " -p 5436 -U test -d test -AtXc 'SELECT pg_is_in_recovery()'"));
        assertEquals(VIP, lab.sh("10.10.10.10", "getent hosts pg-test-gw | cut -d' ' -f1"));
        assertTrue(lab.sh("10.10.10.10", "cat /data/infra/targets/ping/pg-test.vip.yml").contains(VIP));
    }

    @Test
    @Order(2)
    void turned_off_and_on_again_it_goes_and_comes_back_with_reloads(SandboxExtension.Lab lab) throws Exception {
        Map<String, String> before = startTimes(lab);
        String off = SCRATCH.write(Map.of(ENABLED, ENABLED.replace("vip_enabled: true", "vip_enabled: false"))).toString();
        Pig deploy = Pig.run("deploy", "-i", off, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("remove /etc/keepalived/conf.d/node-vip.conf"), deploy.out());
        assertTrue(deploy.out().contains("reload (/etc/keepalived/conf.d/node-vip.conf changed)"), deploy.out());
        await(lab, MASTER, false, 10);
        assertFalse(holds(lab, BACKUP, VIP), "no member holds " + VIP);
        assertTrue(holds(lab, LEADER, "10.10.10.3"), "pg-test's VIP stays on its leader");
        assertEquals(0, Pig.run("plan", "-i", off, "--detailed-exitcode").exit(), "a second run plans nothing");

        Pig on = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, on.exit(), on.out() + on.err());
        assertTrue(on.out().matches("(?s).*file /etc/keepalived/conf.d/node-vip.conf \\(\\d+ bytes, 0600 root:root\\).*"), on.out());
        assertFalse(on.out().contains(": restart"), "a node VIP restarts nothing: " + on.out());
        assertEquals(before, startTimes(lab), "keepalived reloads; nothing restarts");
        await(lab, MASTER, true, 10);
        assertFalse(holds(lab, BACKUP, VIP), "only the master holds " + VIP);
        assertTrue(holds(lab, LEADER, "10.10.10.3"), "pg-test's VIP stays on its leader");
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit(), "a second run plans nothing");
    }

    @Test
    @Order(3)
    void the_backup_takes_the_vip_when_the_master_stops_and_keeps_it_when_the_master_returns(SandboxExtension.Lab lab) throws Exception {
        // a keepalived that stops says so (an advert of priority 0): the backup takes over at once
        lab.sh(MASTER, "systemctl stop keepalived");
        double took = await(lab, BACKUP, true, 15);
        System.out.printf("node vip: %s took %s over in %.1f s after keepalived stopped on %s%n", BACKUP, VIP, took, MASTER);
        assertTrue(took <= HANDOVER_BUDGET_S, "the backup took the VIP over in " + took + " s, over the " + HANDOVER_BUDGET_S + " s budget");
        assertFalse(holds(lab, MASTER, "10.10.10.3") || holds(lab, MASTER, VIP));
        // the master's PostgreSQL VIP instance went with its keepalived; pg-test's VIP never moved
        assertTrue(holds(lab, LEADER, "10.10.10.3"), "pg-test's VIP stays on its leader");

        lab.sh(MASTER, "systemctl start keepalived");
        Thread.sleep(6000);
        assertTrue(holds(lab, BACKUP, VIP) && !holds(lab, MASTER, VIP), "vip_preempt: false leaves the VIP where it is");
        assertTrue(holds(lab, LEADER, "10.10.10.3"), "pg-test's VIP stays on its leader");
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), "where the VIP is, is no change to plan: " + plan.out() + plan.err());
    }

    @Test
    @Order(4)
    void the_other_takes_the_vip_when_its_holder_hangs_and_the_holder_steps_back_when_it_wakes(SandboxExtension.Lab lab)
            throws Exception {
        // the holder's keepalived frozen (SIGSTOP), as on a hung host: no advert, no goodbye (a
        // killed keepalived may still say goodbye: its VRRP process is told when its parent dies).
        // The other member hears nothing for three intervals and claims the address
        assertTrue(holds(lab, BACKUP, VIP));
        lab.sh(BACKUP, "systemctl kill -s STOP keepalived");
        double took;
        try {
            took = await(lab, MASTER, true, 15);
        } finally {
            lab.sh(BACKUP, "systemctl kill -s CONT keepalived");
        }
        System.out.printf("node vip: %s took %s over in %.1f s after keepalived froze on %s%n", MASTER, VIP, took, BACKUP);
        assertTrue(took <= FAILOVER_BUDGET_S, "the VIP moved in " + took + " s, over the " + FAILOVER_BUDGET_S + " s budget");
        // awake, it hears a master of higher priority and lets the address go
        await(lab, BACKUP, false, 10);
        Thread.sleep(3000);
        assertTrue(holds(lab, MASTER, VIP) && !holds(lab, BACKUP, VIP), "the VIP stays on " + MASTER);
        assertTrue(holds(lab, LEADER, "10.10.10.3"), "pg-test's VIP stays on its leader");
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit(), "a second run plans nothing");
    }

    @Test
    @Order(5)
    void a_member_with_another_password_is_not_heard_and_a_deploy_restores_it(SandboxExtension.Lab lab) throws Exception {
        // the other member gets another password: it drops the holder's adverts, hears no master
        // and claims the address too
        assertTrue(holds(lab, MASTER, VIP));
        lab.sh(BACKUP, "sed -i 's/auth_pass Gw.Vrrp1/auth_pass Wrong.Pw/' /etc/keepalived/conf.d/node-vip.conf && systemctl reload keepalived");
        await(lab, BACKUP, true, 15);
        assertTrue(holds(lab, MASTER, VIP), "both claim " + VIP + ": neither hears the other's adverts");

        Pig plan = Pig.run("plan", "-i", INV);
        assertTrue(plan.out().contains("file /etc/keepalived/conf.d/node-vip.conf: content"), plan.out());
        assertFalse(plan.out().contains("Wrong.Pw") || plan.out().contains("Gw.Vrrp1"), "the plan shows no password: " + plan.out());
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        // one password again: the higher priority (the master) keeps it, the other steps back
        await(lab, BACKUP, false, 15);
        assertTrue(holds(lab, MASTER, VIP));
        Pig converged = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, converged.exit(), converged.out() + converged.err());
    }

    @Test
    @Order(6)
    void pg_vip_auth_pass_moves_the_clusters_vip_to_vrrp_v2_with_a_reload_and_it_still_follows_the_leader(SandboxExtension.Lab lab)
            throws Exception {
        String anchor = "        pg_vip_address: 10.10.10.3/24\n";
        String inv = SCRATCH.write(Map.of(anchor, anchor + "        pg_vip_auth_pass: Pg.Vrrp1\n")).toString();
        Map<String, String> before = startTimes(lab);
        Pig deploy = Pig.run("deploy", "-i", inv, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("reload (/etc/keepalived/conf.d/pgsql-pg-test.conf changed)"), deploy.out());
        assertFalse(deploy.out().contains("Pg.Vrrp1"), "no password in the output: " + deploy.out());
        assertEquals(before, startTimes(lab), "keepalived reloads; nothing restarts");
        for (String n : List.of(LEADER, MASTER, BACKUP)) {
            String conf = lab.sh(n, "cat /etc/keepalived/conf.d/pgsql-pg-test.conf");
            assertTrue(conf.contains("    version 2\n") && conf.contains("auth_pass Pg.Vrrp1"), n + ": " + conf);
        }
        assertTrue(holds(lab, LEADER, "10.10.10.3"), "pg-test's VIP stays on its leader");
        assertEquals(0, Pig.run("plan", "-i", inv, "--detailed-exitcode").exit(), "a second run plans nothing");

        // the VIP follows a switchover, now by VRRPv2's one advert a second
        lab.sh(LEADER, "su -s /bin/sh postgres -c 'patronictl -c /etc/patroni/patroni.yml switchover --candidate pg-test-2 --force'");
        double took = await(lab, MASTER, "10.10.10.3", true, 30);
        System.out.printf("pg vip (VRRPv2, pg_vip_auth_pass): on pg-test-2 %.1f s after the switchover returned%n", took);
        assertTrue(took <= 10, "pg-test's VIP reached the new leader " + took + " s after the switchover, over the 10 s budget");
        assertFalse(holds(lab, LEADER, "10.10.10.3") || holds(lab, BACKUP, "10.10.10.3"), "the VIP is on the new leader alone");
        assertEquals("f", throughVip(lab), "the VIP reaches the new primary");
    }

    /** Whether what answers on pg-test's VIP, from pg-meta-1, is in recovery: f on the primary. */
    static String throughVip(SandboxExtension.Lab lab) {
        return lab.sh("10.10.10.10", "PGCONNECT_TIMEOUT=3 PGPASSWORD=test psql -h 10.10.10.3 -U test -d test -AtXc 'SELECT pg_is_in_recovery()'");
    }
}
