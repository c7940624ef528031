package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How applications reach pg-test and how it survives: the four services through HAProxy on every
 * member, PgBouncer, the VIP, the metrics endpoints, pgBackRest backups and a point-in-time
 * recovery, then failure drills: the primary's Patroni and postmaster killed (restarted by
 * systemd, or kept down so a replica takes over), writes measured through a surviving member's
 * 5433 and every committed row checked, the old primary rejoining as a replica, and a deploy
 * afterwards that leaves the new topology as it is.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlAccessIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Where the drills connect from: pg-meta-1, not a member of pg-test. */
    static final String CLIENT = "10.10.10.10";

    static String sh(SandboxExtension.Lab lab, String node, String command) {
        return lab.sh(node, command);
    }

    static String psql(SandboxExtension.Lab lab, String node, String sql) {
        return lab.psql(node, "postgres", sql);
    }

    /** {@code sql} as user test through {@code host:port}, from the client node. */
    static String remote(SandboxExtension.Lab lab, String host, int port, String sql) {
        return sh(lab, CLIENT, "PGCONNECT_TIMEOUT=3 PGPASSWORD=test psql -h " + host + " -p " + port + " -U test -d test -AtXc \"" + sql + "\"");
    }

    static String leader(SandboxExtension.Lab lab, String via) throws IOException {
        JsonNode cluster = JSON.readTree(sh(lab, via, "curl -sf http://127.0.0.1:8008/cluster"));
        for (JsonNode m : cluster.path("members")) {
            if (m.path("role").asText().equals("leader")) {
                return m.path("host").asText();
            }
        }
        throw new AssertionError("no leader in " + cluster);
    }

    /** What must not restart on a re-run: postmaster, Patroni, PgBouncer and HAProxy of each member. */
    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : PG_TEST) {
            out.put(n, psql(lab, n, "SELECT pg_postmaster_start_time()"));
            for (String unit : List.of("patroni", "pgbouncer", "haproxy", "prometheus-postgres-exporter", "keepalived")) {
                out.put(n + " " + unit, sh(lab, n, "systemctl show -p MainPID -p ActiveEnterTimestamp " + unit));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void the_sandbox_serves_pg_test_through_haproxy_pgbouncer_and_the_vip(SandboxExtension.Lab lab) {
        for (String member : PG_TEST) {
            // through pgbouncer the server is reached over its unix socket: no server address to show
            assertEquals("f", remote(lab, member, 5433, "SELECT pg_is_in_recovery()"), "5433 on " + member + " reaches the primary");
            assertEquals("t", remote(lab, member, 5434, "SELECT pg_is_in_recovery()"), "5434 on " + member + " reaches a replica");
            assertEquals("10.10.10.11|f", remote(lab, member, 5436, "SELECT inet_server_addr(), pg_is_in_recovery()"),
                    "5436 on " + member + " reaches the primary directly");
            assertEquals("10.10.10.13|t", remote(lab, member, 5438, "SELECT inet_server_addr(), pg_is_in_recovery()"),
                    "5438 on " + member + " reaches the offline-query replica");
            assertEquals("test", remote(lab, member, 6432, "SELECT current_user"), "pgbouncer on " + member);
        }
        assertEquals("10.10.10.3|f", remote(lab, "10.10.10.3", 5432, "SELECT inet_server_addr(), pg_is_in_recovery()"),
                "the VIP reaches the primary");
        assertTrue(sh(lab, "10.10.10.11", "ip -o -4 addr show").contains("inet 10.10.10.3/24"), "the VIP is on the leader");
        // the pool serves what the inventory says: pgbouncer_poolmode and the users' pool_mode
        assertTrue(sh(lab, "10.10.10.11", "su -s /bin/sh postgres -c \"psql -h /var/run/postgresql -p 6432 -AtX -d pgbouncer -c 'SHOW USERS'\"")
                .contains("dbuser_dba|session"), "dbuser_dba pools in session mode");
    }

    @Test
    @Order(2)
    void every_member_answers_metrics_for_postgres_pgbouncer_and_haproxy(SandboxExtension.Lab lab) {
        for (String n : PG_TEST) {
            assertTrue(sh(lab, n, "curl -sf http://127.0.0.1:9630/metrics").contains("\npg_up 1"), n + ": pg exporter");
            assertTrue(sh(lab, n, "curl -sf http://127.0.0.1:9631/metrics").contains("pgbouncer_"), n + ": pgbouncer exporter");
            assertTrue(sh(lab, n, "curl -sf http://127.0.0.1:9101/metrics").contains("haproxy_"), n + ": haproxy metrics");
        }
    }

    @Test
    @Order(3)
    void a_full_backup_exists_after_the_deploy_and_pig_makes_more(SandboxExtension.Lab lab) {
        String info = sh(lab, "10.10.10.11", "su -s /bin/sh postgres -c 'pgbackrest --stanza=pg-test info'");
        assertTrue(info.contains("status: ok") && info.contains("full backup:"), info);
        assertTrue(sh(lab, "10.10.10.12", "crontab -l -u postgres").contains("/pg/bin/pg-backup full"), "pg_crontab");
        Pig incr = Pig.run("pgsql", "backup", "-i", INV, "pg-test", "incr");
        assertEquals(0, incr.exit(), incr.out() + incr.err());
        Pig list = Pig.run("pgsql", "backup", "-i", INV, "pg-test", "--list");
        assertEquals(0, list.exit(), list.out() + list.err());
        assertTrue(list.out().contains(" full ") && list.out().contains(" incr "), list.out());
        assertTrue(list.out().contains("on 10.10.10.11"), "listed from the leader's repository: " + list.out());
    }

    @Test
    @Order(4)
    void a_second_deploy_changes_nothing_and_restarts_nothing(SandboxExtension.Lab lab) {
        Map<String, String> before = startTimes(lab);
        long t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        System.out.printf("access: no-op deploy of the sandbox: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, startTimes(lab));
    }

    @Test
    @Order(5)
    void a_user_added_with_pgbouncer_true_logs_in_through_the_pool_after_a_reload(SandboxExtension.Lab lab) throws IOException {
        Map<String, String> before = startTimes(lab);
        Path inv = Files.createTempFile("pgsql-pool-user", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace(
                "          - { name: test, password: test, pgbouncer: true, roles: [ dbrole_admin ] }\n",
                "          - { name: test, password: test, pgbouncer: true, roles: [ dbrole_admin ] }\n"
                        + "          - { name: dbuser_pool, password: Pool.Pass, pgbouncer: true, pool_mode: session, roles: [ dbrole_readwrite ] }\n"));
        Pig user = Pig.run("pgsql", "user", "-i", inv.toString(), "pg-test", "dbuser_pool", "-y");
        assertEquals(0, user.exit(), user.out() + user.err());
        assertTrue(user.out().contains("reload"), user.out());
        for (String member : PG_TEST) {
            assertEquals("dbuser_pool", sh(lab, CLIENT, "PGPASSWORD=Pool.Pass psql -h " + member + " -p 6432 -U dbuser_pool -d test -AtXc"
                    + " 'SELECT current_user'"), "pgbouncer on " + member);
        }
        assertEquals(before, startTimes(lab), "pgbouncer reloads its users; nothing restarts");
        assertEquals(0, Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode").exit());
        Files.delete(inv);
        // the sandbox inventory has no such user: its pool forgets it again (the role stays, pig drops only state: absent)
        Pig back = Pig.run("deploy", "-i", INV, "-t", "pgbouncer_user,pgbouncer_launch", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit());
    }

    @Test
    @Order(6)
    void a_service_added_to_the_inventory_is_published_by_pgsql_svc_with_a_reload(SandboxExtension.Lab lab) throws IOException {
        Map<String, String> before = startTimes(lab);
        Path inv = Files.createTempFile("pgsql-svc", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("        pg_cluster: pg-test\n",
                "        pg_cluster: pg-test\n        pg_services:\n"
                        + "          - { name: standby, port: 5435, dest: postgres, check: /replica, selector: \"[? pg_seq == `2` ]\","
                        + " backup: \"[? pg_role == `primary` ]\" }\n"));
        Pig svc = Pig.run("pgsql", "svc", "-i", inv.toString(), "pg-test", "-y");
        assertEquals(0, svc.exit(), svc.out() + svc.err());
        assertTrue(svc.out().contains("reload haproxy"), svc.out());
        for (String member : PG_TEST) {
            assertEquals("10.10.10.12", remote(lab, member, 5435, "SELECT inet_server_addr()"), "5435 on " + member);
        }
        assertEquals(before, startTimes(lab), "a service reloads haproxy, it does not restart it");
        assertEquals(0, Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode").exit());
        Files.delete(inv);
        // back to the sandbox inventory: the service goes away again
        Pig back = Pig.run("pgsql", "svc", "-i", INV, "pg-test", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
        assertTrue(lab.run("10.10.10.11", "test", "-e", "/etc/haproxy/pg-test-standby.cfg").exit() != 0, "the stale service file stays");
    }

    @Test
    @Order(7)
    void a_point_in_time_recovery_brings_a_dropped_table_back(SandboxExtension.Lab lab) {
        remote(lab, "10.10.10.11", 5433, "CREATE TABLE pitr_probe(id int); INSERT INTO pitr_probe SELECT generate_series(1, 100)");
        sh(lab, "10.10.10.11", "sleep 2");
        String target = psql(lab, "10.10.10.11", "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')");
        sh(lab, "10.10.10.11", "sleep 2");
        remote(lab, "10.10.10.11", 5433, "DROP TABLE pitr_probe");
        // the WAL with the target in it must be archived before it can be replayed
        psql(lab, "10.10.10.11", "SELECT pg_switch_wal()");
        sh(lab, "10.10.10.11", "for i in $(seq 30); do su -s /bin/sh postgres -c \"psql -AtXc 'SELECT last_failed_wal IS NULL OR"
                + " last_archived_time > last_failed_time FROM pg_stat_archiver'\" | grep -q t && exit 0; sleep 1; done; exit 1");
        long t0 = System.nanoTime();
        Pig pitr = Pig.run("pgsql", "pitr", "-i", INV, "pg-test", "--time", target, "-y");
        System.out.printf("access: point-in-time recovery of pg-test: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, pitr.exit(), pitr.out() + pitr.err());
        assertEquals("100", remote(lab, "10.10.10.11", 5433, "SELECT count(*) FROM pitr_probe"), "the table is back");
        assertEquals("streaming\nstreaming", psql(lab, "10.10.10.11", "SELECT state FROM pg_stat_replication ORDER BY 1"));
        for (String n : List.of("10.10.10.12", "10.10.10.13")) {
            assertEquals("100", lab.psql(n, "test", "SELECT count(*) FROM pitr_probe"), n + " has the restored data");
        }
        Pig full = Pig.run("pgsql", "backup", "-i", INV, "pg-test", "full");
        assertEquals(0, full.exit(), full.out() + full.err());
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit(), "the restored cluster matches the inventory");
    }

    /**
     * One write per 200 ms into a table of its own through {@code host:5433} from the client node,
     * logged as {@code id ok|fail epoch}.
     */
    static void startWriter(SandboxExtension.Lab lab, String host, String table, String log) {
        remote(lab, host, 5433, "CREATE TABLE " + table + "(id int PRIMARY KEY, at timestamptz DEFAULT now())");
        sh(lab, CLIENT, "rm -f " + log + "; nohup sh -c 'i=0; while [ $i -lt 900 ]; do i=$((i+1)); "
                + "if PGCONNECT_TIMEOUT=1 PGPASSWORD=test psql -h " + host + " -p 5433 -U test -d test -AtXqc \"INSERT INTO " + table + "(id) VALUES ($i)\" >/dev/null 2>&1; then echo \"$i ok $(date +%s.%N)\"; "
                + "else echo \"$i fail $(date +%s.%N)\"; fi; sleep 0.2; done' > " + log + " 2>&1 &");
    }

    /**
     * What the writer saw: seconds from {@code killedAt} to the first committed write after it, the
     * ids whose commit it saw, the ids it saw fail (after the kill: {@code failed}), and the last id it
     * logged.
     */
    record Writes(double recovery, Set<Integer> ok, Set<Integer> refused, int failed, int last) {
        /**
         * Checks the rows the table holds against what the writer saw: no more than {@code mayLose}
         * committed rows missing, and every other row one whose outcome the client could not know
         * (a write it saw fail, as the connection broke after the commit, or the one in flight when
         * the writer was stopped).
         */
        void check(Set<Integer> rows, int mayLose) {
            Set<Integer> lost = new TreeSet<>(ok);
            lost.removeAll(rows);
            Set<Integer> unknown = new TreeSet<>(rows);
            unknown.removeAll(ok);
            unknown.removeAll(refused);
            unknown.remove(last + 1);
            System.out.printf("drill: %d rows for %d commits the client saw, %d of those lost%n", rows.size(), ok.size(), lost.size());
            assertTrue(lost.size() <= mayLose, "committed rows lost: " + lost);
            assertTrue(unknown.isEmpty(), "rows nobody wrote: " + unknown);
        }
    }

    static Writes stopWriter(SandboxExtension.Lab lab, String log, double killedAt) {
        sh(lab, CLIENT, "pkill -f 'while \\[ \\$i -lt 900 \\]' || true");
        List<String> lines = List.of(sh(lab, CLIENT, "cat " + log).split("\n"));
        double recovered = -1;
        Set<Integer> ok = new TreeSet<>();
        Set<Integer> refused = new TreeSet<>();
        int failed = 0;
        int last = 0;
        for (String l : lines) {
            String[] f = l.trim().split(" ");
            if (f.length != 3) {
                continue;
            }
            int id = Integer.parseInt(f[0]);
            last = Math.max(last, id);
            double at = Double.parseDouble(f[2]);
            if (f[1].equals("ok")) {
                ok.add(id);
                if (at > killedAt && recovered < 0 && failed > 0) {
                    recovered = at - killedAt;
                }
            } else {
                refused.add(id);
                if (at > killedAt) {
                    failed++;
                }
            }
        }
        return new Writes(recovered, ok, refused, failed, last);
    }

    /** The ids a drill table holds. */
    static Set<Integer> rows(SandboxExtension.Lab lab, String via, String table) {
        String all = remote(lab, via, 5433, "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM " + table);
        Set<Integer> out = new TreeSet<>();
        for (String id : all.split(",")) {
            if (!id.isBlank()) {
                out.add(Integer.parseInt(id.strip()));
            }
        }
        return out;
    }

    @Test
    @Order(8)
    void a_killed_patroni_and_postmaster_come_back_and_writes_resume(SandboxExtension.Lab lab) throws IOException {
        String primary = leader(lab, "10.10.10.12");
        String via = PG_TEST.stream().filter(n -> !n.equals(primary)).findFirst().orElseThrow();
        startWriter(lab, via, "drill_crash", "/tmp/drill-crash.log");
        sh(lab, CLIENT, "sleep 3");
        long before = Long.parseLong(remote(lab, via, 5433, "SELECT count(*) FROM drill_crash"));
        double killedAt = Double.parseDouble(sh(lab, primary, "date +%s.%N; kill -9 $(systemctl show -p MainPID --value patroni) $(head -n 1 /pg/data/postmaster.pid)").split("\n")[0]);
        sh(lab, CLIENT, "sleep 40");
        Writes w = stopWriter(lab, "/tmp/drill-crash.log", killedAt);
        System.out.printf("drill: kill -9 of patroni and postmaster on %s: writes through %s:5433 back after %.1f s (%d committed, %d failed)%n",
                primary, via, w.recovery(), w.ok().size(), w.failed());
        assertTrue(w.recovery() > 0, "writes never resumed: " + w);
        w.check(rows(lab, via, "drill_crash"), 0);
        assertTrue(w.ok().size() > before, "writes went on after the kill");
        sh(lab, primary, "for i in $(seq 60); do systemctl is-active -q patroni && exit 0; sleep 1; done; exit 1");
    }

    @Test
    @Order(9)
    void a_primary_kept_down_fails_over_and_rejoins_as_a_replica(SandboxExtension.Lab lab) throws IOException {
        String primary = leader(lab, "10.10.10.12");
        String via = PG_TEST.stream().filter(n -> !n.equals(primary)).findFirst().orElseThrow();
        startWriter(lab, via, "drill_failover", "/tmp/drill-failover.log");
        sh(lab, CLIENT, "sleep 3");
        // and kept down: stopping the unit right away cancels the restart systemd would make, so the host is
        // as good as gone, as with Pigsty's Restart=no
        double killedAt = Double.parseDouble(sh(lab, primary, "date +%s.%N; "
                + "kill -9 $(systemctl show -p MainPID --value patroni) $(head -n 1 /pg/data/postmaster.pid); systemctl stop patroni")
                .split("\n")[0]);
        String elected = null;
        for (int i = 0; i < 90 && elected == null; i++) {
            sh(lab, via, "sleep 1");
            String now = leader(lab, via);
            elected = now.equals(primary) ? null : now;
        }
        sh(lab, CLIENT, "sleep 8");
        Writes w = stopWriter(lab, "/tmp/drill-failover.log", killedAt);
        System.out.printf("drill: primary %s kept down: %s took over, writes through %s:5433 back after %.1f s (pg_rto norm; %d committed, %d failed)%n",
                primary, elected, via, w.recovery(), w.ok().size(), w.failed());
        assertTrue(elected != null, "no replica took over from " + primary);
        assertTrue(w.recovery() > 0, "writes never resumed: " + w);
        // replication is asynchronous (pg_rpo 1MB): the commit in flight at the kill may be lost
        w.check(rows(lab, via, "drill_failover"), 1);
        assertEquals("f", remote(lab, "10.10.10.3", 5432, "SELECT pg_is_in_recovery()"), "the VIP reaches the new primary");
        assertTrue(sh(lab, elected, "ip -o -4 addr show").contains("inet 10.10.10.3/24"), "the VIP moved to the new leader");

        sh(lab, primary, "systemctl start patroni");
        sh(lab, primary, "for i in $(seq 120); do su -s /bin/sh postgres -c \"psql -AtXc 'SELECT status FROM pg_stat_wal_receiver'\" 2>/dev/null"
                + " | grep -q streaming && exit 0; sleep 1; done; exit 1");
        assertEquals("t", psql(lab, primary, "SELECT pg_is_in_recovery()"), "the old primary is a replica now");
        assertEquals(elected, leader(lab, primary));

        Map<String, String> roles = new TreeMap<>();
        for (String n : PG_TEST) {
            roles.put(n, psql(lab, n, "SELECT pg_is_in_recovery()"));
        }
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertEquals(elected, leader(lab, primary), "the deploy kept the new leader");
        Map<String, String> after = new TreeMap<>();
        for (String n : PG_TEST) {
            after.put(n, psql(lab, n, "SELECT pg_is_in_recovery()"));
        }
        assertEquals(roles, after);
        Map<String, String> before = startTimes(lab);
        Pig again = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("No changes."), again.out());
        assertEquals(before, startTimes(lab));
    }
}
