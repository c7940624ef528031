package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * How applications reach pg-test: the four services through HAProxy on every member, PgBouncer,
 * the VIP, the metrics endpoints, pgBackRest backups and a point-in-time recovery. How it
 * survives failures is {@link PgsqlDrillIT}'s.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlAccessIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
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
        Pig converged = Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode");
        assertEquals(0, converged.exit(), converged.out() + converged.err());
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
        // the members' certificates name the new service, so verify-full holds for it at once
        assertTrue(svc.out().contains("cert/server.crt issued again: its names change (+DNS:pg-test-standby)"), svc.out());
        for (String member : PG_TEST) {
            assertEquals("10.10.10.12", remote(lab, member, 5435, "SELECT inet_server_addr()"), "5435 on " + member);
        }
        assertEquals(before, startTimes(lab), "a service reloads haproxy, it does not restart it");
        // the members and the infra node's probes are converged; the portal's page, which lists the
        // services, is INFRA's and follows at the next deploy: it is all that is left
        Pig published = Pig.run("plan", "-i", inv.toString());
        assertEquals(0, published.exit(), published.out() + published.err());
        List<String> left = published.out().lines().filter(l -> l.matches("  [+~-] .*")).toList();
        assertEquals(List.of("  ~ file /data/nginx/index.html"), left.stream().map(l -> l.replaceAll(":.*", "")).toList(), published.out());
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
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), "the restored cluster matches the inventory: " + plan.out() + plan.err());
    }
}
