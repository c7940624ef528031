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

import dev.pig.sandbox.system.Tools;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * PGSQL end to end on the sandbox example: pg-meta and the three-instance pg-test come up under
 * Patroni, the business user reaches its database from another node, a second deploy changes
 * and restarts nothing, and a user added to the inventory is created by {@code pig pgsql user}.
 */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final ObjectMapper JSON = new ObjectMapper();

    static String sh(SandboxExtension.Lab lab, String node, String command) {
        return lab.sh(node, command);
    }

    static String psql(SandboxExtension.Lab lab, String node, String sql) {
        return lab.psql(node, "postgres", sql);
    }

    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : PG_TEST) {
            out.put(n, psql(lab, n, "SELECT pg_postmaster_start_time()"));
            out.put(n + " patroni", sh(lab, n, "systemctl show -p MainPID patroni"));
        }
        return out;
    }

    @Test
    @Order(1)
    void a_first_deploy_brings_up_a_leader_and_two_streaming_replicas(SandboxExtension.Lab lab) throws IOException {
        long t0 = System.nanoTime();
        // etcd over plain http first: the next test moves the running clusters to https
        Pig r = Pig.run("deploy", "-i", INV, "-e", "etcd_tls=false", "-y");
        System.out.printf("pgsql: first deploy of the sandbox: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("+ database meta with baseline cmdb.sql"), r.out());
        JsonNode cluster = JSON.readTree(sh(lab, "10.10.10.11", "curl -sf http://127.0.0.1:8008/cluster"));
        int leaders = 0;
        int replicas = 0;
        for (JsonNode m : cluster.path("members")) {
            assertEquals("running", m.path("state").asText(), m.toString());
            if (m.path("role").asText().equals("leader")) {
                leaders++;
                assertEquals("pg-test-1", m.path("name").asText(), "the inventory's primary leads a new cluster");
            } else {
                replicas++;
            }
        }
        assertEquals(1, leaders, cluster.toString());
        assertEquals(2, replicas, cluster.toString());
        assertEquals("streaming\nstreaming", psql(lab, "10.10.10.11", "SELECT state FROM pg_stat_replication"));
        for (String n : List.of("10.10.10.12", "10.10.10.13")) {
            assertEquals("streaming", psql(lab, n, "SELECT status FROM pg_stat_wal_receiver"), n);
        }
        assertEquals("543", sh(lab, "10.10.10.11", "id -u postgres"), "Debian's dbsu gets 543 for 26, as in Pigsty");
        assertEquals("/data/postgres/pg-test-15", sh(lab, "10.10.10.11", "readlink /pg"));
        assertEquals("600 postgres", sh(lab, "10.10.10.11", "stat -c '%a %U' /etc/patroni/patroni.yml"));
        assertTrue(lab.run("10.10.10.11", "test", "-e", "/etc/postgresql/15/main").exit() != 0, "Debian's own cluster was made");
    }

    @Test
    @Order(3)
    void the_business_user_reaches_its_database_from_another_node(SandboxExtension.Lab lab) {
        assertEquals("test|test", sh(lab, "10.10.10.10",
                "PGPASSWORD=test psql -h 10.10.10.11 -U test -d test -AtXc 'SELECT current_user, current_database()'"));
        assertTrue(sh(lab, "10.10.10.10", "PGPASSWORD=test psql -h 10.10.10.11 -U test -d test -AtXc "
                + "'SELECT extname FROM pg_extension'").contains("pg_stat_statements"));
        assertEquals("dbrole_admin", psql(lab, "10.10.10.11",
                "SELECT string_agg(b.rolname, ',') FROM pg_auth_members m JOIN pg_roles a ON a.oid = m.member"
                        + " JOIN pg_roles b ON b.oid = m.roleid WHERE a.rolname = 'test'"));
    }

    /**
     * etcd deployed over plain http moves to https with the next deploy, and each Patroni with it:
     * the clusters paused meanwhile, so the leader stays, and PostgreSQL, which never stops, takes
     * every write.
     */
    @Test
    @Order(2)
    void a_cluster_on_etcd_over_http_moves_to_https_keeping_its_leader_and_every_write(SandboxExtension.Lab lab) throws Exception {
        assertTrue(sh(lab, "10.10.10.11", "cat /etc/patroni/patroni.yml").contains("  protocol: http\n"));
        psql(lab, "10.10.10.11", "CREATE TABLE pig_tls(i int)");
        String insert = "runuser -u postgres -- psql -h /var/run/postgresql -p 5432 -d postgres -AtqXc \"INSERT INTO pig_tls VALUES ($i)\"";
        java.util.concurrent.CompletableFuture<String> writes = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                lab.run("10.10.10.11", "sh", "-c", "for i in $(seq 400); do if " + insert + " >/dev/null 2>&1; then echo ok; else echo FAIL $i; fi;"
                        + " sleep 0.1; done").out());
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        Pig tls = Pig.run("deploy", "-i", INV, "-y");
        System.out.printf("pgsql: etcd and Patroni moved to https: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        String log = writes.get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(0, tls.exit(), tls.out() + tls.err());
        for (String line : List.of("pause pg-test (maintenance mode)", "moving it from plain http to https",
                "restart patroni on pg-test-1", "restart patroni on pg-test-3", "resume pg-test")) {
            assertTrue(tls.out().contains(line), line + "\n" + tls.out());
        }
        assertFalse(log.contains("FAIL"), "writes failed while etcd moved to https:\n" + log);
        assertEquals(400, log.lines().filter(l -> l.equals("ok")).count(), log);
        assertEquals("400", psql(lab, "10.10.10.11", "SELECT count(*) FROM pig_tls"), "every acknowledged write is there");

        JsonNode cluster = JSON.readTree(sh(lab, "10.10.10.11", "curl -sf http://127.0.0.1:8008/cluster"));
        assertFalse(cluster.path("pause").asBoolean(false), "still paused: " + cluster);
        for (JsonNode m : cluster.path("members")) {
            assertEquals(m.path("name").asText().equals("pg-test-1") ? "leader" : "replica", m.path("role").asText(), cluster.toString());
            assertTrue(List.of("running", "streaming").contains(m.path("state").asText()), cluster.toString());
        }
        for (String n : PG_TEST) {
            assertTrue(sh(lab, n, "cat /etc/patroni/patroni.yml").contains("  protocol: https\n"), n);
        }
        Tools.Result plain = lab.run("10.10.10.11", "sh", "-c", "curl -s -m 3 http://10.10.10.10:2379/health");
        assertFalse(plain.exit() == 0 && plain.out().contains("health"), "etcd still answers plain http: " + plain.out());
        psql(lab, "10.10.10.11", "DROP TABLE pig_tls");
    }

    @Test
    @Order(4)
    void a_second_deploy_plans_nothing_and_restarts_nothing(SandboxExtension.Lab lab) {
        Map<String, String> before = startTimes(lab);
        long t0 = System.nanoTime();
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        System.out.printf("pgsql: no-op plan of the sandbox: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, startTimes(lab));
    }

    @Test
    @Order(5)
    void a_user_added_to_the_inventory_is_created_by_pgsql_user(SandboxExtension.Lab lab) throws IOException {
        Path inv = Files.createTempFile("pgsql-user", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace(
                "          - { name: test, password: test, pgbouncer: true, roles: [ dbrole_admin ] }\n",
                "          - { name: test, password: test, pgbouncer: true, roles: [ dbrole_admin ] }\n"
                        + "          - { name: dbuser_it, password: It.Pass, roles: [ dbrole_readonly ], comment: added by a test }\n"));
        Pig plan = Pig.run("plan", "-i", inv.toString(), "-l", "pg-test", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("+ role dbuser_it"), plan.out());
        assertTrue(!plan.out().contains("It.Pass"), "the password was shown: " + plan.out());
        Pig user = Pig.run("pgsql", "user", "-i", inv.toString(), "pg-test", "dbuser_it", "-y");
        assertEquals(0, user.exit(), user.out() + user.err());
        assertEquals("dbuser_it", sh(lab, "10.10.10.10",
                "PGPASSWORD=It.Pass psql -h 10.10.10.11 -U dbuser_it -d test -AtXc 'SELECT current_user'"));
        assertEquals(0, Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode").exit());

        Files.writeString(inv, Files.readString(inv).replace("password: It.Pass,", "password: It.Pass2,"));
        Pig changed = Pig.run("plan", "-i", inv.toString(), "-l", "pg-test", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.out());
        assertTrue(changed.out().contains("~ role dbuser_it: password"), changed.out());
        Files.delete(inv);
    }

    @Test
    @Order(6)
    void an_hba_rule_reloads_patroni_without_a_restart(SandboxExtension.Lab lab) throws IOException {
        Map<String, String> before = startTimes(lab);
        Path inv = Files.createTempFile("pgsql-hba", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("        pg_cluster: pg-test\n",
                "        pg_cluster: pg-test\n        pg_hba_rules:\n"
                        + "          - { user: all, db: all, addr: 10.10.10.1/32, auth: deny, title: 'no access from the bridge' }\n"));
        Pig hba = Pig.run("pgsql", "hba", "-i", inv.toString(), "pg-test", "-y");
        assertEquals(0, hba.exit(), hba.out() + hba.err());
        assertTrue(hba.out().contains("reload patroni"), hba.out());
        for (String n : PG_TEST) {
            sh(lab, n, "for i in $(seq 20); do su -s /bin/sh postgres -c \"psql -AtXq -c 'TABLE pg_hba_file_rules'\" "
                    + "| grep -q '|10.10.10.1|255.255.255.255|reject|' && exit 0; sleep 1; done; exit 1");
        }
        assertEquals(before, startTimes(lab));
        assertEquals(0, Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode").exit());
        Files.delete(inv);
        Pig back = Pig.run("pgsql", "hba", "-i", INV, "pg-test", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals(before, startTimes(lab));
    }

    @Test
    @Order(7)
    void a_replica_removed_with_its_data_kept_comes_back_with_pgsql_add(SandboxExtension.Lab lab) {
        Pig refused = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "10.10.10.13", "-e", "pg_safeguard=true", "-y");
        assertEquals(64, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("pg_safeguard"), refused.err());

        Pig rm = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "10.10.10.13", "--keep-data", "-y");
        assertEquals(0, rm.exit(), rm.out() + rm.err());
        assertTrue(lab.run("10.10.10.13", "systemctl", "is-active", "-q", "patroni").exit() != 0, "patroni still runs");
        sh(lab, "10.10.10.13", "test -f /pg/data/PG_VERSION");
        assertEquals("streaming", psql(lab, "10.10.10.11", "SELECT state FROM pg_stat_replication"));

        Pig add = Pig.run("pgsql", "add", "-i", INV, "pg-test", "10.10.10.13", "-y");
        assertEquals(0, add.exit(), add.out() + add.err());
        assertEquals("streaming", psql(lab, "10.10.10.13", "SELECT status FROM pg_stat_wal_receiver"));
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.out());
    }

    /**
     * Names and comments made directly in PostgreSQL by someone who may create a database or a
     * role are read by the next plan as names: none becomes a command on any node, the plan prints
     * them without terminal control characters, and a deploy changes nothing.
     */
    @Test
    @Order(8)
    void hostile_names_made_in_postgres_are_read_as_names_and_run_nothing(SandboxExtension.Lab lab) {
        String sql = String.join("\n",
                "CREATE DATABASE \"x'$(touch /tmp/pwned-db)'\";",
                "CREATE DATABASE \"a\\b'c\"\"d e=f host=10.10.10.1 `touch /tmp/pwned-conninfo`\";",
                "CREATE DATABASE \"pipe|db\";",
                "CREATE ROLE \"evil'; DROP TABLE x; --$(touch /tmp/pwned-role)\" LOGIN PASSWORD 'x';",
                "COMMENT ON ROLE \"evil'; DROP TABLE x; --$(touch /tmp/pwned-role)\" IS E'\\x1b]0;owned\\x07 $(touch /tmp/pwned-comment)';",
                "");
        sh(lab, "10.10.10.11", "printf '%s' " + dev.pig.core.ssh.Shell.quote(sql) + " | su -s /bin/sh postgres -c 'psql -qX -v ON_ERROR_STOP=1'");
        try {
            Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.out() + plan.err());
            assertTrue(plan.out().chars().noneMatch(c -> c == 0x1b || c == 0x07), plan.out());
            Pig deploy = Pig.run("deploy", "-i", INV, "-y");
            assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
            assertTrue(deploy.out().contains("No changes."), deploy.out());
            for (String n : List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13")) {
                assertEquals("", sh(lab, n, "ls /tmp | grep pwned || true"), "a name ran a command on " + n);
            }
            // every database was read, the hostile ones included: their schemas are in the facts
            Pig facts = Pig.run("facts", "-i", INV, "-l", "10.10.10.11", "--json");
            assertEquals(0, facts.exit(), facts.out() + facts.err());
            assertTrue(facts.out().contains("pipe|db"), facts.out().length() > 2000 ? facts.out().substring(0, 2000) : facts.out());
        } finally {
            sh(lab, "10.10.10.11", "printf '%s' " + dev.pig.core.ssh.Shell.quote(String.join("\n",
                    "DROP DATABASE IF EXISTS \"x'$(touch /tmp/pwned-db)'\";",
                    "DROP DATABASE IF EXISTS \"a\\b'c\"\"d e=f host=10.10.10.1 `touch /tmp/pwned-conninfo`\";",
                    "DROP DATABASE IF EXISTS \"pipe|db\";",
                    "DROP ROLE IF EXISTS \"evil'; DROP TABLE x; --$(touch /tmp/pwned-role)\";", ""))
                    + " | su -s /bin/sh postgres -c 'psql -qX'");
        }
    }

    /**
     * The process lists of the nodes, sampled every 20 ms during steps that use etcd's root
     * password, the cluster's etcd password and Patroni's REST password, never show one.
     */
    @Test
    @Order(9)
    void no_password_shows_in_a_process_list_during_etcd_and_patroni_steps(SandboxExtension.Lab lab) throws IOException {
        Path inv = Files.createTempFile("pgsql-secrets", ".yml");
        // a new etcd password for the cluster (its etcd user is changed through etcd's root) and a
        // new pg_rto (patched into the DCS through Patroni's REST API)
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("        pg_cluster: pg-test\n",
                "        pg_cluster: pg-test\n        pg_etcd_password: Etcd.Ps.Secret9\n        pg_rto: fast\n"));
        List<String> nodes = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13");
        for (String n : nodes) {
            // ww: full command lines, however long; the sampler's pid is kept to stop it by
            sh(lab, n, "rm -f /tmp/ps.log; nohup sh -c 'while :; do ps -eww -o args >> /tmp/ps.log; sleep 0.02; done' >/dev/null 2>&1 &"
                    + " echo $! > /tmp/ps.pid");
        }
        Pig deploy;
        try {
            deploy = Pig.run("deploy", "-i", inv.toString(), "-l", "pg-test,etcd", "-y");
        } finally {
            for (String n : nodes) {
                // by pid: pkill -f would match the very shell that runs it
                sh(lab, n, "kill $(cat /tmp/ps.pid) 2>/dev/null; rm -f /tmp/ps.pid; true");
            }
            Files.delete(inv);
        }
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("command etcd user pg-test") && deploy.out().contains("patroni config"), deploy.out());
        for (String n : nodes) {
            int samples = Integer.parseInt(sh(lab, n, "grep -c '^COMMAND' /tmp/ps.log"));
            assertTrue(samples > 20, n + ": only " + samples + " samples");
            for (String secret : List.of("Etcd.Ps.Secret9", "Etcd.Root", "Patroni.API", "DBUser.DBA", "DBUser.Monitor", "DBUser.Replicator")) {
                assertEquals("", sh(lab, n, "grep -F -- " + dev.pig.core.ssh.Shell.quote(secret) + " /tmp/ps.log | head -3 || true"),
                        secret + " in a process list on " + n);
            }
        }
    }
}
