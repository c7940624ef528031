package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pig.sandbox.system.Tools;

/**
 * What PGSQL provisions on the sandbox beyond the cluster itself: the meta database's baseline,
 * default privileges as Pigsty means them, TLS for the admin user, a database and a user added
 * to the inventory and created one at a time, a replica removed with its data and made again
 * from a fresh base backup, and the live leader refused while replicas stay. Ends with a
 * second deploy that plans nothing and restarts nothing.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlProvisionIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_NODES = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final ScratchInventory SCRATCH = new ScratchInventory("pgsql-provision");

    static Tools.Result run(SandboxExtension.Lab lab, String node, String command) {
        return lab.run(node, "sh", "-c", "cd /tmp && " + command);
    }

    static String sh(SandboxExtension.Lab lab, String node, String command) {
        return lab.sh(node, command);
    }

    static String psql(SandboxExtension.Lab lab, String node, String db, String sql) {
        return lab.psql(node, db, sql);
    }

    /** psql as {@code user} over the network to {@code host}, from {@code node}. */
    static Tools.Result remote(SandboxExtension.Lab lab, String node, String conninfo, String password, String sql) {
        return run(lab, node, "PGPASSWORD='" + password + "' psql '" + conninfo + "' -v ON_ERROR_STOP=1 -AtXq -c \"" + sql + "\"");
    }

    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : PG_NODES) {
            out.put(n, psql(lab, n, "postgres", "SELECT pg_postmaster_start_time()"));
            out.put(n + " patroni", sh(lab, n, "systemctl show -p MainPID patroni"));
        }
        return out;
    }

    @AfterAll
    static void cleanUp() throws IOException {
        SCRATCH.close();
    }

    @Test
    @Order(1)
    void the_sandbox_runs_the_meta_database_baseline_and_streams(SandboxExtension.Lab lab) {
        // cmdb.sql made the pigsty schema's tables when meta was created
        assertTrue(Integer.parseInt(psql(lab, "10.10.10.10", "meta", "SELECT count(*) FROM pg_tables WHERE schemaname = 'pigsty'")) > 0);
        assertEquals("streaming", psql(lab, "10.10.10.13", "postgres", "SELECT status FROM pg_stat_wal_receiver"));
    }

    @Test
    @Order(2)
    void the_meta_database_ran_its_baseline_and_its_tables_are_readable_by_the_viewer(SandboxExtension.Lab lab) {
        assertEquals("cluster,host,member", psql(lab, "10.10.10.10", "meta",
                "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'pigsty'"));
        assertEquals("0", psql(lab, "10.10.10.10", "meta", "SELECT count(*) FROM pigsty.instance"));
        // dbuser_view is only in dbrole_readonly: it reads the dbsu's tables through the default privileges
        Tools.Result view = remote(lab, "10.10.10.11", "host=10.10.10.10 user=dbuser_view dbname=meta", "DBUser.Viewer",
                "SELECT count(*) FROM pigsty.cluster");
        assertEquals(0, view.exit(), view.out() + view.err());
        assertEquals("0", view.out().strip());
    }

    @Test
    @Order(3)
    void the_admin_user_connects_over_tls_with_its_password(SandboxExtension.Lab lab) {
        assertEquals("subject=CN = pg-test-1", sh(lab, "10.10.10.11", "openssl x509 -in /pg/cert/server.crt -noout -subject"));
        assertTrue(sh(lab, "10.10.10.11", "openssl x509 -in /pg/cert/server.crt -noout -ext subjectAltName").contains("IP Address:10.10.10.11"));
        // the certificate is public, the key only the dbsu's, both in the dbsu's 0700 directory
        assertEquals("644 postgres 600 postgres", sh(lab, "10.10.10.11",
                "stat -c '%a %U' /pg/cert/server.crt /pg/cert/server.key | tr '\\n' ' ' | sed 's/ $//'"));
        Tools.Result tls = remote(lab, "10.10.10.12", "sslmode=verify-full sslrootcert=/etc/pki/ca.crt host=10.10.10.11 user=dbuser_dba"
                + " dbname=postgres", "DBUser.DBA",
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        assertEquals(0, tls.exit(), tls.out() + tls.err());
        assertEquals("t", tls.out().strip());
        assertTrue(psql(lab, "10.10.10.11", "postgres", "TABLE pg_hba_file_rules").contains("|hostssl|{all}|{dbuser_dba}|0.0.0.0|0.0.0.0|scram-sha-256|"),
                "the rule that needs TLS is in place");
    }

    @Test
    @Order(4)
    void a_database_and_a_user_added_to_the_inventory_are_created_one_at_a_time(SandboxExtension.Lab lab) throws IOException {
        String testUser = "          - { name: test, password: test, pgbouncer: true, roles: [ dbrole_admin ] }\n";
        String testDb = "          - { name: test }\n";
        Path inv = SCRATCH.write(Map.of(
                testUser, testUser + "          - { name: dbuser_ro, password: Ro.Pass, roles: [ dbrole_readonly ] }\n",
                testDb, testDb + "          - { name: app, schemas: [ app ], comment: added by a test }\n"));

        Pig user = Pig.run("pgsql", "user", "-i", inv.toString(), "pg-test", "dbuser_ro", "-y");
        assertEquals(0, user.exit(), user.out() + user.err());
        assertTrue(user.out().contains("+ role dbuser_ro"), user.out());
        assertTrue(!user.out().contains("database app"), "pgsql user planned a database: " + user.out());

        Pig db = Pig.run("pgsql", "db", "-i", inv.toString(), "pg-test", "app", "-y");
        assertEquals(0, db.exit(), db.out() + db.err());
        assertTrue(db.out().contains("+ database app"), db.out());
        Tools.Result in = remote(lab, "10.10.10.10", "host=10.10.10.11 user=test dbname=app", "test",
                "SELECT current_database() || ' ' || shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()");
        assertEquals(0, in.exit(), in.out() + in.err());
        assertEquals("app added by a test", in.out().strip());
        assertEquals(0, Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode").exit(), "the new entries converged");
    }

    @Test
    @Order(5)
    void tables_made_as_dbrole_admin_are_readable_by_read_only_users_and_others_are_not(SandboxExtension.Lab lab) {
        // Pigsty's practice: a business admin sets role dbrole_admin for DDL, so the default privileges apply
        Tools.Result ddl = remote(lab, "10.10.10.10", "host=10.10.10.11 user=test dbname=app", "test",
                "SET ROLE dbrole_admin; CREATE TABLE app.shared AS SELECT 42 AS answer; RESET ROLE; CREATE TABLE app.own AS SELECT 1 AS x");
        assertEquals(0, ddl.exit(), ddl.out() + ddl.err());
        Tools.Result shared = remote(lab, "10.10.10.10", "host=10.10.10.11 user=dbuser_ro dbname=app", "Ro.Pass", "SELECT answer FROM app.shared");
        assertEquals(0, shared.exit(), shared.out() + shared.err());
        assertEquals("42", shared.out().strip());
        Tools.Result own = remote(lab, "10.10.10.10", "host=10.10.10.11 user=dbuser_ro dbname=app", "Ro.Pass", "SELECT x FROM app.own");
        assertNotEquals(0, own.exit(), "a table test made as itself got default privileges");
        assertTrue(own.err().contains("permission denied for table own"), own.err());
    }

    @Test
    @Order(6)
    void the_live_leader_is_not_removed_while_its_replicas_stay(SandboxExtension.Lab lab) {
        Pig refused = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "10.10.10.11", "-y");
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.out().contains("pg-test-1 leads pg-test") && refused.out().contains("Switch over first"), refused.out());
        assertTrue(refused.err().contains("nothing was changed"), refused.err());
        sh(lab, "10.10.10.11", "systemctl is-active -q patroni");
    }

    @Test
    @Order(7)
    void a_replica_removed_with_its_data_comes_back_from_a_fresh_base_backup(SandboxExtension.Lab lab) {
        String system = psql(lab, "10.10.10.11", "postgres", "SELECT system_identifier FROM pg_control_system()");
        Pig rm = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "10.10.10.13", "--rm-data", "-y");
        assertEquals(0, rm.exit(), rm.out() + rm.err());
        assertTrue(run(lab, "10.10.10.13", "systemctl is-active -q patroni").exit() != 0, "patroni still runs");
        assertTrue(run(lab, "10.10.10.13", "test -e /data/postgres/pg-test-15 -o -L /pg").exit() != 0, "the data or /pg stayed");
        assertEquals("streaming", psql(lab, "10.10.10.11", "postgres", "SELECT string_agg(state, ',') FROM pg_stat_replication"));
        // from the inventory as test 4 left it, so the new member pools the database 'app' too
        Pig add = Pig.run("pgsql", "add", "-i", SCRATCH.path().toString(), "pg-test", "10.10.10.13", "-y");
        assertEquals(0, add.exit(), add.out() + add.err());
        assertEquals("streaming", psql(lab, "10.10.10.13", "postgres", "SELECT status FROM pg_stat_wal_receiver"));
        assertEquals(system, psql(lab, "10.10.10.13", "postgres", "SELECT system_identifier FROM pg_control_system()"),
                "pg-test-3 is a copy of the cluster");
        assertEquals("42", psql(lab, "10.10.10.13", "app", "SELECT answer FROM app.shared"), "the base backup has what the leader has");
        assertEquals("subject=CN = pg-test-3", sh(lab, "10.10.10.13", "openssl x509 -in /pg/cert/server.crt -noout -subject"));
    }

    @Test
    @Order(8)
    void a_second_deploy_plans_nothing_and_restarts_nothing(SandboxExtension.Lab lab) throws IOException {
        // the inventory as the earlier tests left it: it holds the database 'app' they added
        String inv = SCRATCH.path().toString();
        Map<String, String> before = startTimes(lab);
        Pig plan = Pig.run("plan", "-i", inv, "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        Pig deploy = Pig.run("deploy", "-i", inv, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, startTimes(lab));
    }

    @Test
    @Order(9)
    void the_whole_cluster_goes_with_its_keys_in_etcd(SandboxExtension.Lab lab) {
        // asked on the etcd member, with its certificate: the instances' own go with their data
        String keys = "ETCDCTL_API=3 etcdctl --endpoints=https://10.10.10.10:2379 --cacert=/etc/etcd/pki/ca.crt"
                + " --cert=/etc/etcd/pki/server.crt --key=/etc/etcd/pki/server.key --user pg-test:pg-test get /pg/pg-test/ --prefix --keys-only";
        assertTrue(sh(lab, "10.10.10.10", keys).contains("/pg/pg-test/leader"));
        Pig rm = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "--rm-data", "-y");
        assertEquals(0, rm.exit(), rm.out() + rm.err());
        assertTrue(rm.out().contains("clear the etcd keys of pg-test"), rm.out());
        for (String n : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            assertTrue(run(lab, n, "systemctl is-active -q patroni").exit() != 0, n + ": patroni still runs");
            assertTrue(run(lab, n, "test -e /pg -o -L /pg").exit() != 0, n + ": the data stayed");
        }
        assertEquals("", sh(lab, "10.10.10.10", keys));
        Pig again = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "-y");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("No changes."), again.out());
        assertEquals("1", psql(lab, "10.10.10.10", "meta", "SELECT 1"), "pg-meta is not touched");
    }
}
