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

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pig.sandbox.system.Tools;

/**
 * NODE and ETCD end to end on three sandbox nodes: a first deploy, a second that changes and
 * restarts nothing, drift repaired, node monitoring removed and restored, an etcd member added
 * and removed, and a member lost without losing writes.
 */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeEtcdIT {
    static final Path ROOT = Path.of(System.getProperty("pig.root", "..")).toAbsolutePath().normalize();
    static final String INV = ROOT.resolve("src-test-fixtures/it/etcd-trio.yml").toString();
    static final List<String> MEMBERS = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12");
    static final String TLS = "--cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/server.crt --key=/etc/etcd/pki/server.key";
    static final String CTL = "ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 " + TLS + " --user root:Etcd.Root ";

    static String sh(SandboxExtension.Lab lab, String node, String command) {
        return lab.sh(node, command);
    }

    static Map<String, String> startTimes(SandboxExtension.Lab lab, List<String> nodes) {
        Map<String, String> out = new TreeMap<>();
        for (String n : nodes) {
            for (String unit : List.of("etcd", "haproxy", "prometheus-node-exporter")) {
                out.put(n + " " + unit, sh(lab, n, "systemctl show -p ActiveEnterTimestampMonotonic,MainPID " + unit));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void a_first_deploy_brings_up_a_healthy_three_member_cluster(SandboxExtension.Lab lab) {
        long t0 = System.nanoTime();
        Pig r = Pig.run("deploy", "-i", INV, "-y", "--detailed-exitcode");
        System.out.printf("node+etcd: first deploy of 3 nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(2, r.exit(), r.out() + r.err()); // changes were applied
        assertTrue(r.out().contains("Apply complete"), r.out());
        assertTrue(r.out().contains("running on 3 host(s)..."), "progress before each step: " + r.out());
        for (String m : MEMBERS) {
            assertTrue(sh(lab, m, CTL + "endpoint health 2>&1").contains("is healthy"), m);
            assertEquals("3", sh(lab, m, CTL + "member list | wc -l"));
        }
    }

    @Test
    @Order(2)
    void every_node_is_prepared_and_exports_metrics(SandboxExtension.Lab lab) {
        for (String m : MEMBERS) {
            assertTrue(sh(lab, m, "curl -sf http://" + m + ":9100/metrics").contains("node_cpu_seconds_total"), m);
            assertTrue(sh(lab, m, "curl -sf http://" + m + ":9101/metrics").contains("haproxy_process_"), m);
            assertEquals("401", sh(lab, m, "curl -s -o /dev/null -w '%{http_code}' http://" + m + ":9101/"), m);
            assertEquals("200", sh(lab, m, "curl -s -o /dev/null -w '%{http_code}' -u admin:pigsty http://" + m + ":9101/"), m);
            // it holds the admin password
            assertEquals("640 root:haproxy", sh(lab, m, "stat -c '%a %U:%G' /etc/haproxy/haproxy.cfg"), m);
            assertEquals("88", sh(lab, m, "id -u dba"));
            assertTrue(sh(lab, m, "sudo -l -U dba").contains("NOPASSWD: ALL"), m);
            assertTrue(sh(lab, m, "cat /etc/hosts").contains(m), m);
            assertTrue(sh(lab, m, "cat /etc/apt/apt.conf.d/80pig-proxy").contains("10.10.10.1:8888"), m);
            assertEquals("active", sh(lab, m, "systemctl is-active prometheus-node-exporter haproxy | sort -u"));
        }
    }

    @Test
    @Order(2)
    void the_admin_user_reaches_every_node_from_every_node(SandboxExtension.Lab lab) {
        for (String from : MEMBERS) {
            for (String to : MEMBERS) {
                assertEquals("", sh(lab, from, "sudo -u dba ssh -o StrictHostKeyChecking=accept-new -o BatchMode=yes " + to + " true"),
                        from + " -> " + to);
            }
            assertEquals("600 dba:dba", sh(lab, from, "stat -c '%a %U:%G' /home/dba/.ssh/id_ed25519"), from);
        }
    }

    @Test
    @Order(3)
    void node_rm_removes_monitoring_and_a_deploy_brings_it_back(SandboxExtension.Lab lab) {
        Pig rm = Pig.run("node", "rm", "-i", INV, "10.10.10.12", "-y");
        assertEquals(0, rm.exit(), rm.out() + rm.err());
        assertFalse(lab.run("10.10.10.12", "systemctl", "is-active", "-q", "prometheus-node-exporter").exit() == 0);
        assertEquals("active", sh(lab, "10.10.10.12", "systemctl is-active etcd"), "node rm must not touch etcd");
        assertEquals("active", sh(lab, "10.10.10.11", "systemctl is-active prometheus-node-exporter"), "other nodes untouched");
        Pig back = Pig.run("node", "add", "-i", INV, "10.10.10.12", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals("active", sh(lab, "10.10.10.12", "systemctl is-active prometheus-node-exporter"));
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit());
    }

    @Test
    @Order(4)
    void writes_on_one_member_are_read_on_every_member(SandboxExtension.Lab lab) {
        sh(lab, "10.10.10.10", CTL + "put /pig/it hello");
        for (String m : MEMBERS) {
            assertEquals("/pig/it\nhello", sh(lab, m, CTL + "get /pig/it"));
        }
    }

    @Test
    @Order(5)
    void auth_is_enabled_with_the_root_password(SandboxExtension.Lab lab) {
        // a certificate alone (the member's own, whose name is no etcd user) reads nothing without a password
        Tools.Result anonymous = lab.run("10.10.10.11", "sh", "-c", "ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 " + TLS + " get /pig/it");
        assertFalse(anonymous.exit() == 0 && anonymous.out().contains("hello"), "anonymous read allowed: " + anonymous.out());
        // etcd_tls: plain http is refused, and so is https without a client certificate, even with root's password
        for (String refused : List.of("--endpoints=http://10.10.10.11:2379", "--endpoints=https://10.10.10.11:2379 --cacert=/etc/etcd/pki/ca.crt")) {
            Tools.Result r = lab.run("10.10.10.12", "sh", "-c", "ETCDCTL_API=3 etcdctl " + refused + " --dial-timeout=2s --command-timeout=3s"
                    + " --user root:Etcd.Root get /pig/it");
            assertFalse(r.exit() == 0, refused + " answered: " + r.out());
        }
        Tools.Result withCert = lab.run("10.10.10.12", "sh", "-c", "ETCDCTL_API=3 etcdctl --endpoints=https://10.10.10.11:2379 " + TLS
                + " --user root:Etcd.Root get /pig/it");
        assertTrue(withCert.exit() == 0 && withCert.out().contains("hello"), withCert.out() + withCert.err());
    }

    @Test
    @Order(6)
    void a_second_deploy_plans_nothing_and_restarts_nothing(SandboxExtension.Lab lab) {
        Map<String, String> before = startTimes(lab, MEMBERS);
        long t0 = System.nanoTime();
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        System.out.printf("node+etcd: no-op plan of 3 nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("No changes. The hosts match the inventory."), plan.out());
        t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", INV, "-y", "--detailed-exitcode");
        System.out.printf("node+etcd: no-op deploy of 3 nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err()); // nothing changed
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, startTimes(lab, MEMBERS));
    }

    @Test
    @Order(7)
    void a_hand_edit_of_a_managed_file_is_shown_and_restored(SandboxExtension.Lab lab) {
        String sum = sh(lab, "10.10.10.11", "sha256sum /etc/etcd/etcd.conf");
        sh(lab, "10.10.10.11", "sed -i 's/^heartbeat-interval: 100/heartbeat-interval: 150/' /etc/etcd/etcd.conf");
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("~ file /etc/etcd/etcd.conf"), plan.out());
        assertTrue(plan.out().contains("-heartbeat-interval: 150"), plan.out());
        assertTrue(plan.out().contains("Plan: 0 to add, 2 to change, 0 to destroy."), plan.out()); // file + restart
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, deploy.exit(), deploy.err());
        assertEquals(sum, sh(lab, "10.10.10.11", "sha256sum /etc/etcd/etcd.conf"));
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit());
    }

    @Test
    @Order(8)
    void a_member_joins_and_leaves_and_the_cluster_stays_healthy(SandboxExtension.Lab lab) throws IOException {
        Path four = Files.createTempFile("etcd-four", ".yml");
        Files.writeString(four, Files.readString(Path.of(INV))
                .replace("        10.10.10.12: { etcd_seq: 3 }\n", "        10.10.10.12: { etcd_seq: 3 }\n        10.10.10.13: { etcd_seq: 4 }\n"));
        Map<String, String> before = startTimes(lab, MEMBERS);
        Pig add = Pig.run("etcd", "add", "-i", four.toString(), "10.10.10.13", "-y");
        assertEquals(0, add.exit(), add.out() + add.err());
        assertTrue(add.out().contains("member add etcd-4"), add.out());
        assertEquals("4", sh(lab, "10.10.10.10", CTL + "member list | grep -c started"));
        assertTrue(sh(lab, "10.10.10.13", CTL + "get /pig/it").contains("hello"));
        assertEquals(before, startTimes(lab, MEMBERS), "the old members were restarted");
        for (String m : MEMBERS) {
            assertTrue(sh(lab, m, "cat /etc/etcd/etcd.conf").contains(",etcd-4=https://10.10.10.13:2380\n"), "config not refreshed on " + m);
        }
        assertEquals(0, Pig.run("plan", "-i", four.toString(), "--detailed-exitcode").exit());

        Pig rm = Pig.run("etcd", "rm", "-i", four.toString(), "10.10.10.13", "-y");
        assertEquals(0, rm.exit(), rm.out() + rm.err());
        assertEquals("3", sh(lab, "10.10.10.10", CTL + "member list | wc -l"));
        for (String m : MEMBERS) {
            assertTrue(sh(lab, m, CTL + "endpoint health 2>&1").contains("is healthy"), m);
        }
        assertFalse(lab.run("10.10.10.13", "systemctl", "is-active", "-q", "etcd.service").exit() == 0, "etcd still runs on the removed member");
        // as rm advises: the others' config without the removed member, still without a restart
        assertEquals(0, Pig.run("deploy", "-i", INV, "-t", "etcd_config", "-y").exit());
        for (String m : MEMBERS) {
            assertFalse(sh(lab, m, "cat /etc/etcd/etcd.conf").contains("etcd-4"), m);
        }
        assertEquals(before, startTimes(lab, MEMBERS), "the old members were restarted");
        Files.delete(four);
    }

    @Test
    @Order(9)
    void removing_a_member_is_refused_under_the_safeguard() {
        Pig rm = Pig.run("etcd", "rm", "-i", INV, "10.10.10.12", "-e", "etcd_safeguard=true", "-y");
        assertEquals(64, rm.exit(), rm.err());
        assertTrue(rm.err().contains("etcd_safeguard"), rm.err());
    }

    @Test
    @Order(10)
    void writes_go_on_with_one_of_three_members_down(SandboxExtension.Lab lab) {
        sh(lab, "10.10.10.12", "systemctl kill -s KILL etcd.service; systemctl stop etcd.service");
        // the survivors may be electing a new leader: a client retries, so does this test (for 20 s at most)
        sh(lab, "10.10.10.10", "for i in $(seq 20); do " + CTL + "put /pig/after-loss still-writable && exit 0; sleep 1; done; exit 1");
        assertEquals("/pig/after-loss\nstill-writable", sh(lab, "10.10.10.11", CTL + "get /pig/after-loss"));
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out());
        assertTrue(plan.out().contains("unit etcd.service"), plan.out());
        assertEquals(0, Pig.run("deploy", "-i", INV, "-y").exit());
        assertEquals("/pig/after-loss\nstill-writable", sh(lab, "10.10.10.12", CTL + "get /pig/after-loss"));
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit());
    }

    @Test
    @Order(11)
    void facts_come_back_for_every_host(SandboxExtension.Lab lab) throws IOException {
        Pig r = Pig.run("facts", "-i", INV, "--json");
        assertEquals(0, r.exit(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        for (String m : MEMBERS) {
            assertEquals("debian", json.path(m).path("os").path("id").asText(), r.out());
            assertTrue(json.path(m).path("packages").has("etcd-server"), m);
        }
    }

    @Test
    @Order(12)
    void a_saved_plan_is_applied_as_shown_and_a_stale_one_is_refused(SandboxExtension.Lab lab) throws IOException {
        Path planFile = Files.createTempFile("pig-plan", ".json");
        sh(lab, "10.10.10.11", "echo '10.9.9.9 drift' >> /etc/hosts");
        Pig plan = Pig.run("plan", "-i", INV, "-o", planFile.toString());
        assertEquals(0, plan.exit(), plan.err());
        assertTrue(plan.out().contains("~ file /etc/hosts"), plan.out());
        Pig apply = Pig.run("apply", "-i", INV, planFile.toString(), "-y");
        assertEquals(0, apply.exit(), apply.out() + apply.err());
        assertFalse(sh(lab, "10.10.10.11", "cat /etc/hosts").contains("drift"));

        sh(lab, "10.10.10.11", "echo '10.9.9.9 drift' >> /etc/hosts");
        assertEquals(0, Pig.run("plan", "-i", INV, "-o", planFile.toString()).exit());
        sh(lab, "10.10.10.11", "echo '10.9.9.8 more-drift' >> /etc/hosts");
        Pig stale = Pig.run("apply", "-i", INV, planFile.toString(), "-y");
        assertEquals(1, stale.exit(), stale.out() + stale.err());
        assertTrue(stale.err().contains("10.10.10.11") && stale.err().contains("stale"), stale.err());
        assertTrue(sh(lab, "10.10.10.11", "cat /etc/hosts").contains("more-drift"), "a refused plan changed the host");
        assertEquals(0, Pig.run("deploy", "-i", INV, "-y").exit());
        Files.delete(planFile);
    }

    @Test
    @Order(13)
    void a_missing_package_fails_its_host_with_apts_words_and_the_others_converge(SandboxExtension.Lab lab) throws IOException {
        Path bad = Files.createTempFile("node-bad-pkg", ".yml");
        Files.writeString(bad, Files.readString(Path.of(INV))
                .replace("10.10.10.12: { etcd_seq: 3 }", "10.10.10.12: { etcd_seq: 3, node_packages: [ no-such-package-pig ] }")
                .replace("  vars:\n    admin_ip: 10.10.10.10\n", "  vars:\n    admin_ip: 10.10.10.10\n    node_crontab: [ '00 01 * * * root /bin/true' ]\n"));
        Pig r = Pig.run("deploy", "-i", bad.toString(), "-y");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("10.10.10.12: packages node"), r.err());
        assertTrue(r.err().contains("Unable to locate package no-such-package-pig"), r.err());
        for (String m : List.of("10.10.10.10", "10.10.10.11")) {
            assertTrue(sh(lab, m, "cat /etc/cron.d/pig").contains("/bin/true"), m);
        }
        assertEquals(0, Pig.run("plan", "-i", bad.toString(), "-l", "10.10.10.10,10.10.10.11", "--detailed-exitcode").exit());
        Files.delete(bad);
    }

    @Test
    @Order(14)
    void an_interrupted_dpkg_is_finished_before_packages_are_installed(SandboxExtension.Lab lab) throws IOException {
        // what a killed dpkg leaves: a pending journal entry, which makes apt refuse to work
        sh(lab, "10.10.10.11", "touch /var/lib/dpkg/updates/0000");
        Path more = Files.createTempFile("node-more-pkg", ".yml");
        Files.writeString(more, Files.readString(Path.of(INV))
                .replace("10.10.10.11: { etcd_seq: 2 }", "10.10.10.11: { etcd_seq: 2, node_packages: [ openssh-server, jq ] }"));
        Pig r = Pig.run("deploy", "-i", more.toString(), "-l", "10.10.10.11", "-t", "node_pkg", "-y");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("ii", sh(lab, "10.10.10.11", "dpkg-query -W -f='${db:Status-Abbrev}' jq").strip());
        Files.delete(more);
    }

    static final String ALL = "ETCDCTL_API=3 etcdctl --endpoints=https://10.10.10.10:2379,https://10.10.10.11:2379,https://10.10.10.12:2379 "
            + TLS + " --user root:Etcd.Root ";

    static void healthyAgain(SandboxExtension.Lab lab, String member) {
        sh(lab, member, "for i in $(seq 60); do " + CTL + "endpoint health >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1");
    }

    @Test
    @Order(30)
    void removing_a_member_is_refused_while_another_is_down_and_the_cluster_stays_healthy(SandboxExtension.Lab lab) {
        assertEquals(0, Pig.run("deploy", "-i", INV, "-y").exit());
        // the first member is down: the removal must go through one that answers, and refuse
        sh(lab, "10.10.10.10", "systemctl stop etcd.service");
        try {
            long t0 = System.nanoTime();
            Pig rm = Pig.run("etcd", "rm", "-i", INV, "10.10.10.11", "-y");
            System.out.printf("etcd: a removal refused with one of three members down: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertEquals(64, rm.exit(), rm.out() + rm.err());
            assertTrue(rm.err().contains("would break etcd's quorum"), rm.err());
            assertTrue(rm.err().contains("1 of the 2 remaining member(s) would answer, and a majority of 2 is 2"), rm.err());
            assertTrue(rm.err().contains("not answering: etcd-1 (https://10.10.10.10:2379)"), rm.err());
            assertEquals("active", sh(lab, "10.10.10.11", "systemctl is-active etcd"), "the refused removal stopped etcd");
            assertEquals("3", sh(lab, "10.10.10.12", CTL + "member list | wc -l"));
            for (String m : List.of("10.10.10.11", "10.10.10.12")) {
                assertTrue(sh(lab, m, CTL + "endpoint health 2>&1").contains("is healthy"), m);
            }
            sh(lab, "10.10.10.11", CTL + "put /pig/refused still-writable");

            Pig facts = Pig.run("facts", "-i", INV);
            assertTrue(facts.out().contains("etcd.health: 2 of 3 members healthy; unhealthy: https://10.10.10.10:2379"), facts.out());
        } finally {
            sh(lab, "10.10.10.10", "systemctl start etcd.service");
        }
        healthyAgain(lab, "10.10.10.10");
        assertEquals("/pig/refused\nstill-writable", sh(lab, "10.10.10.10", CTL + "get /pig/refused"));
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit());
    }

    @Test
    @Order(31)
    void a_changed_election_timeout_restarts_the_members_one_at_a_time_and_writes_go_on(SandboxExtension.Lab lab) throws Exception {
        Path slow = Files.createTempFile("etcd-slow", ".yml");
        Files.writeString(slow, Files.readString(Path.of(INV)).replace("        etcd_cluster: etcd\n",
                "        etcd_cluster: etcd\n        etcd_election_timeout: 1500\n        etcd_heartbeat_interval: 150\n"));
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit());
        // a client that writes every 100 ms through any member, retrying a failed write twice
        java.util.concurrent.CompletableFuture<String> writes = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                lab.run("10.10.10.10", "sh", "-c", "for i in $(seq 300); do ok=FAIL; for t in 1 2 3; do "
                        + ALL + "--command-timeout=2s put /pig/rolling $i >/dev/null 2>&1 && { ok=ok; break; }; sleep 0.2; done; "
                        + "echo $ok; sleep 0.1; done").out());
        Thread.sleep(1000);
        Pig deploy = Pig.run("deploy", "-i", slow.toString(), "-y");
        String log = writes.get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("restart etcd.service on etcd-1"), deploy.out());
        assertFalse(log.contains("FAIL"), "writes failed during the rolling restart:\n" + log);
        assertEquals(300, log.lines().filter(l -> l.equals("ok")).count(), log);

        // each member restarted after the one before it was back (one kernel, so one monotonic clock)
        List<Long> started = new java.util.ArrayList<>();
        for (String m : MEMBERS) {
            assertTrue(sh(lab, m, "cat /etc/etcd/etcd.conf").contains("election-timeout: 1500"), m);
            started.add(Long.parseLong(sh(lab, m, "systemctl show -p ActiveEnterTimestampMonotonic --value etcd")));
        }
        System.out.printf("etcd: rolling restart, gaps between the members' restarts: %d ms, %d ms%n",
                (started.get(1) - started.get(0)) / 1000, (started.get(2) - started.get(1)) / 1000);
        // one at a time: each member up well after the one before it (all at once would be within a few ms, in any order)
        assertTrue(started.get(1) - started.get(0) > 50_000 && started.get(2) - started.get(1) > 50_000,
                "not restarted one at a time in etcd_seq order: " + started);
        for (String m : MEMBERS) {
            assertTrue(sh(lab, m, CTL + "endpoint health 2>&1").contains("is healthy"), m);
        }
        sh(lab, "10.10.10.12", ALL + "put /pig/after-rolling yes");

        Map<String, String> before = startTimes(lab, MEMBERS);
        Pig again = Pig.run("plan", "-i", slow.toString(), "--detailed-exitcode");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertEquals(before, startTimes(lab, MEMBERS));

        // and back to the defaults, the same way
        assertEquals(0, Pig.run("deploy", "-i", INV, "-y").exit());
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit());
        Files.delete(slow);
    }

    /**
     * A cluster deployed over plain http ({@code etcd_tls: false}) is moved to https by the next
     * deploy: one restart per member, in etcd_seq order, each member's peer URL changed just
     * before its own; a client writing through any member all along loses no write.
     */
    @Test
    @Order(32)
    void a_plain_http_cluster_moves_to_https_one_member_at_a_time_and_writes_go_on(SandboxExtension.Lab lab) throws Exception {
        // a cluster made anew over plain http
        for (String m : MEMBERS) {
            sh(lab, m, "systemctl stop etcd && rm -rf /data/etcd /etc/etcd/etcd.conf /etc/etcd/pki");
        }
        Pig http = Pig.run("deploy", "-i", INV, "-e", "etcd_tls=false", "-y");
        assertEquals(0, http.exit(), http.out() + http.err());
        assertTrue(sh(lab, "10.10.10.11", "cat /etc/etcd/etcd.conf").contains("listen-peer-urls: http://10.10.10.11:2380"));
        String plainAll = "ETCDCTL_API=3 etcdctl --endpoints=http://10.10.10.10:2379,http://10.10.10.11:2379,http://10.10.10.12:2379"
                + " --user root:Etcd.Root ";
        sh(lab, "10.10.10.10", plainAll + "put /pig/before-tls yes");
        Pig planned = Pig.run("plan", "-i", INV);
        assertTrue(planned.out().contains("moving it from plain http to https"), planned.out());

        // a client writing every 100 ms through any member, over http or https, whichever answers
        java.util.concurrent.CompletableFuture<String> writes = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                lab.run("10.10.10.10", "sh", "-c", "for i in $(seq 250); do ok=FAIL; for t in 1 2 3; do { "
                        + plainAll + "--dial-timeout=1s --command-timeout=2s put /pig/tls $i || "
                        + ALL + "--dial-timeout=1s --command-timeout=2s put /pig/tls $i; } >/dev/null 2>&1 && { ok=ok; break; }; sleep 0.2; done; "
                        + "echo $ok; sleep 0.1; done").out());
        Thread.sleep(1000);
        Pig tls = Pig.run("deploy", "-i", INV, "-y");
        String log = writes.get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(0, tls.exit(), tls.out() + tls.err());
        assertFalse(log.contains("FAIL"), "writes failed while etcd moved to https:\n" + log);
        assertEquals(250, log.lines().filter(l -> l.equals("ok")).count(), log);

        String list = sh(lab, "10.10.10.12", CTL + "member list");
        for (String m : MEMBERS) {
            assertTrue(list.contains("https://" + m + ":2380, https://" + m + ":2379"), list);
        }
        assertEquals("/pig/before-tls\nyes", sh(lab, "10.10.10.12", ALL + "get /pig/before-tls"));
        Tools.Result plain = lab.run("10.10.10.12", "sh", "-c", plainAll + "--dial-timeout=2s --command-timeout=3s get /pig/before-tls");
        assertFalse(plain.exit() == 0, "plain http still answers: " + plain.out());
        Map<String, String> before = startTimes(lab, MEMBERS);
        Pig again = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertEquals(before, startTimes(lab, MEMBERS));
        // and pig does not move it back
        Pig back = Pig.run("plan", "-i", INV, "-e", "etcd_tls=false");
        assertTrue(back.exit() != 0 && (back.out() + back.err()).contains("pig does not move a running etcd back to plain http"),
                back.out() + back.err());
    }

    @Test
    @Order(15)
    void package_sources_from_repo_upstream_replace_the_nodes_own_and_packages_still_install(SandboxExtension.Lab lab) throws IOException {
        // the sandbox's upstream is whatever its image was built from, reachable through the proxy
        String own = sh(lab, "10.10.10.12", "cat /etc/apt/sources.list");
        List<String> urls = own.lines().filter(l -> l.startsWith("deb ")).map(l -> l.substring(4).strip()).toList();
        assertFalse(urls.isEmpty(), own);
        StringBuilder upstream = new StringBuilder();
        for (int i = 0; i < urls.size(); i++) {
            upstream.append(i == 0 ? "" : ", ").append("{ name: image-").append(i + 1).append(", module: node, baseurl: { default: '")
                    .append(urls.get(i)).append("' } }");
        }
        Path inv = Files.createTempFile("node-repo", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("10.10.10.12: { etcd_seq: 3 }",
                "10.10.10.12: { etcd_seq: 3, node_repo_modules: node, repo_upstream: [ " + upstream + " ], node_packages: [ openssh-server, pv ] }"));
        Pig r = Pig.run("deploy", "-i", inv.toString(), "-l", "10.10.10.12", "-y");
        assertEquals(0, r.exit(), r.out() + r.err());
        String list = sh(lab, "10.10.10.12", "cat /etc/apt/sources.list.d/node.list") + "\n";
        urls.forEach(u -> assertTrue(list.contains("deb " + u + "\n"), list));
        assertFalse(lab.run("10.10.10.12", "test", "-e", "/etc/apt/sources.list").exit() == 0, "the node's own sources are still in place");
        assertEquals(own, sh(lab, "10.10.10.12", "cat /etc/apt/backup/sources.list"), "node_repo_remove keeps what it moves");
        assertEquals("ii", sh(lab, "10.10.10.12", "dpkg-query -W -f='${db:Status-Abbrev}' pv").strip());
        Pig again = Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode");
        assertEquals(0, again.exit(), again.out() + again.err());
        Files.delete(inv);
    }

    @Test
    @Order(16)
    void an_unreachable_proxy_fails_its_host_naming_the_proxy_and_a_run_with_the_right_one_converges(SandboxExtension.Lab lab)
            throws IOException {
        String fixed = Files.readString(Path.of(INV))
                .replace("10.10.10.12: { etcd_seq: 3 }", "10.10.10.12: { etcd_seq: 3, node_packages: [ openssh-server, tree ] }")
                .replace("  vars:\n    admin_ip: 10.10.10.10\n", "  vars:\n    admin_ip: 10.10.10.10\n    node_crontab: [ '00 02 * * * root /bin/true' ]\n");
        Path bad = Files.createTempFile("node-bad-proxy", ".yml");
        Files.writeString(bad, fixed.replace("node_packages: [ openssh-server, tree ] }",
                "node_packages: [ openssh-server, tree ], proxy_env: { http_proxy: 'http://10.10.10.1:1', https_proxy: 'http://10.10.10.1:1' } }"));
        Pig r = Pig.run("deploy", "-i", bad.toString(), "-y");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("10.10.10.12: packages node"), r.err());
        assertTrue(r.err().contains("could not fetch the package lists through the proxy http://10.10.10.1:1 (proxy_env)"), r.err());
        for (String m : List.of("10.10.10.10", "10.10.10.11")) {
            assertTrue(sh(lab, m, "cat /etc/cron.d/pig").contains("00 02 * * * root /bin/true"), m);
        }

        Path good = Files.createTempFile("node-good-proxy", ".yml");
        Files.writeString(good, fixed);
        Pig again = Pig.run("deploy", "-i", good.toString(), "-y");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertEquals("ii", sh(lab, "10.10.10.12", "dpkg-query -W -f='${db:Status-Abbrev}' tree").strip());
        assertEquals(0, Pig.run("plan", "-i", good.toString(), "--detailed-exitcode").exit());
        Files.delete(bad);
        Files.delete(good);
    }
}
