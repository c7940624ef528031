package dev.pig.modules.pgsql;

import static dev.pig.modules.PlanningFixture.assertValidShell;
import static dev.pig.modules.PlanningFixture.uploads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.modules.Fixtures;
import dev.pig.modules.Golden;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * PgBouncer, the HAProxy services, the VIP, pgBackRest and the exporters of the sandbox
 * example, planned from recorded facts: every file they render against a golden copy, where the
 * services go, and a recovery. The decisions that depend on one host's facts (who leads, what the
 * repository holds, which service files are stale) are in the cases of
 * {@code src-test-fixtures/pgsql/cases/}.
 */
class PgsqlAccessTest {
    static {
        // the golden userlists hold SCRAM verifiers, whose salts are random for each run of pig
        Passwords.fixSaltKeyForTests(new byte[32]);
    }

    static final List<String> ACCESS_PATHS = List.of("/etc/pgbouncer/", "/etc/haproxy/pg-", "/etc/pgbackrest/", "/pg/bin/",
            "/etc/default/prometheus-postgres-exporter", "/etc/systemd/system/pgbouncer_exporter.service",
            "/etc/keepalived/", "/var/spool/cron/crontabs/");
    static final String CRONTAB = "{\"pg_crontab\": [\"00 01 * * * /pg/bin/pg-backup full\"]}";

    /** A fresh pg-test: nothing runs, so the inventory's primary leads. */
    static PlanningFixture fresh(PlanningFixture f) {
        return f.hosts(PgsqlFixtures.PG_TEST, PgsqlFixtures::fresh);
    }

    final PlanningFixture sandbox = fresh(PgsqlFixtures.sandbox(CRONTAB));

    @TestFactory
    Stream<DynamicTest> every_access_file_matches_its_golden_copy() {
        Map<String, HostPlan> plans = sandbox.planAll();
        List<DynamicTest> out = new ArrayList<>();
        for (String host : List.of("10.10.10.11", "10.10.10.13")) {
            uploads(plans.get(host)).forEach((path, content) -> {
                if (ACCESS_PATHS.stream().anyMatch(path::startsWith)) {
                    String golden = "pgsql/golden/access/" + host + "/" + path.substring(1).replace('/', '_');
                    out.add(DynamicTest.dynamicTest(golden, () -> Golden.check(golden, content)));
                }
            });
        }
        assertEquals(2 * 20, out.size(), "each member renders 20 access files: " + out.stream().map(DynamicTest::getDisplayName).toList());
        return out.stream();
    }

    @Test
    void pg_vip_auth_pass_trades_vrrp_v3_for_v2_with_the_password() {
        String plain = uploads(fresh(PgsqlFixtures.sandbox()).plan("10.10.10.12")).get("/etc/keepalived/conf.d/pgsql-pg-test.conf");
        assertTrue(plain.contains("    version 3\n    advert_int 0.2\n") && !plain.contains("authentication"), plain);
        var plan = fresh(PgsqlFixtures.sandbox("pg_vip_auth_pass=Vrrp.Pass.Long")).plan("10.10.10.12");
        String conf = uploads(plan).get("/etc/keepalived/conf.d/pgsql-pg-test.conf");
        assertTrue(conf.contains("    version 2\n    advert_int 1\n") && conf.contains("        auth_type PASS\n        auth_pass Vrrp.Pas\n"),
                "VRRPv2 with the password's first 8 characters: " + conf);
        assertTrue(conf.contains("    check_unicast_src\n"), conf);
    }

    @Test
    void pg_vip_interface_auto_takes_the_interface_carrying_the_instance_ip() {
        String conf = uploads(fresh(PgsqlFixtures.sandbox("pg_vip_interface=auto")).plan("10.10.10.12")).get("/etc/keepalived/conf.d/pgsql-pg-test.conf");
        assertTrue(conf.contains("    interface eth0\n") && conf.contains("10.10.10.3/24 dev eth0"), conf);
        PlanningFixture bare = PgsqlFixtures.sandbox("pg_vip_interface=auto").host("10.10.10.12", RecordedFacts.freshDebian12());
        PigException e = assertThrows(PigException.class, () -> bare.plan("10.10.10.12"));
        assertTrue(e.getMessage().contains("no interface carries 10.10.10.12"), e.getMessage());
    }

    @Test
    void pg_service_provider_moves_the_services_to_the_nodes_of_that_group() {
        PlanningFixture f = fresh(PgsqlFixtures.sandbox("{\"pg_service_provider\": \"infra\"}"))
                .host("10.10.10.10", PgsqlFixtures.fresh("10.10.10.10"));
        assertTrue(f.module().hosts(f.model()).stream().anyMatch(n -> n.id().equals("10.10.10.10")));
        Map<String, String> infra = uploads(f.plan("10.10.10.10"));
        assertTrue(infra.containsKey("/etc/haproxy/pg-test-primary.cfg") && infra.containsKey("/etc/haproxy/pg-meta-primary.cfg"),
                infra.keySet().toString());
        assertTrue(infra.get("/etc/haproxy/pg-test-primary.cfg").contains("server pg-test-1 10.10.10.11:6432"));
        Map<String, String> member = uploads(f.plan("10.10.10.12"));
        assertTrue(member.keySet().stream().noneMatch(p -> p.startsWith("/etc/haproxy/")), member.keySet().toString());
    }

    @Test
    void userlist_holds_the_verifier_the_server_stores_else_the_one_pig_will_store() {
        String pigs = Passwords.verifier("test", "test", "scram-sha-256");
        assertEquals(pigs, Passwords.verifier("test", "test", "scram-sha-256"), "every host computes the same verifier");
        assertNotEquals(pigs, Passwords.verifier("test2", "test", "scram-sha-256"), "the salt differs per user");
        assertTrue(Passwords.matches(pigs, "test", "test"));
        String other = Passwords.scram("test", new byte[16], Passwords.ITERATIONS);
        assertEquals(other, Passwords.userlistVerifier("test", "test", "scram-sha-256", other), "a matching stored verifier is kept");
        assertEquals(pigs, Passwords.userlistVerifier("test", "test", "scram-sha-256", Passwords.scram("old", new byte[16], 4096)),
                "a password about to change gets the verifier pig sets");
        assertEquals(pigs, Passwords.userlistVerifier("test", "test", "scram-sha-256", null));
    }

    @Test
    void pgbouncer_users_are_the_ones_with_pgbouncer_true_and_a_password() {
        var users = Pgbouncer.users(sandbox.model().pgCluster("pg-test").orElseThrow(), sandbox.ctx().vars(sandbox.node("10.10.10.11")));
        assertEquals(List.of("dbuser_dba", "dbuser_monitor", "test"), users.stream().map(u -> u.name()).toList());
        assertEquals(List.of(Map.of("name", "dbuser_dba", "options", "pool_mode=session max_user_connections=16"),
                Map.of("name", "dbuser_monitor", "options", "pool_mode=session max_user_connections=8")), Pgbouncer.userOptions(users));
    }

    @Test
    void only_a_new_listen_address_port_or_socket_restarts_pgbouncer() {
        String ini = "[pgbouncer]\nlisten_addr = *\nlisten_port = 6432\nunix_socket_dir = /var/run/postgresql\npool_mode = transaction\n";
        assertEquals(Pgbouncer.bindings(ini), Pgbouncer.bindings(ini.replace("transaction", "session")));
        assertNotEquals(Pgbouncer.bindings(ini), Pgbouncer.bindings(ini.replace("6432", "6433")));
    }

    @Test
    void pgbackrest_info_is_parsed_from_its_json() {
        BackrestInfo.View v = new BackrestInfo("pg-test", TestPg.PG).parse(Fixtures.read("pgsql/pgbackrest-info.json"));
        assertEquals(0, v.code());
        assertTrue(v.stanzaExists());
        assertEquals(1, v.backups().size());
        assertEquals("full", v.backups().get(0).type());
        assertFalse(v.running());
        BackrestInfo.View none = new BackrestInfo("pg-test", TestPg.PG).parse("");
        assertFalse(none.stanzaExists());
    }

    @Test
    void a_recovery_target_is_checked_before_any_host() {
        assertEquals(List.of("--type=time", "--target=2026-12-01 10:00:00.000+00", "--target-action=promote"),
                new Operations.Target("time", "2026-12-01 10:00:00").options());
        assertEquals(List.of("--type=time", "--target=2026-12-01 08:00:00.000+00", "--target-action=promote"),
                new Operations.Target("time", "2026-12-01 10:00:00+02").options());
        assertEquals(List.of("--type=default"), new Operations.Target("latest", "").options());
        assertThrows(PigException.class, () -> new Operations.Target("time", "yesterday"));
        assertThrows(PigException.class, () -> new Operations.Target("lsn", "12345"));
        assertThrows(PigException.class, () -> new Operations.Target("xid", "x1"));
    }

    @Test
    void a_recovery_stops_replicas_then_restores_the_live_leader_and_every_step_is_valid_shell() {
        PlanningFixture base = PgsqlFixtures.sandbox(CRONTAB);
        var work = Operations.pitr(base.ctx(), base.model().pgCluster("pg-test").orElseThrow(),
                new Operations.Target("time", "2030-01-01 00:00:00"));
        Map<String, List<Task>> byHost = new TreeMap<>();
        work.forEach((n, tasks) -> byHost.put(n.id(), List.copyOf(tasks)));
        Map<String, HostPlan> plans = base.tasks((c, n) -> byHost.get(n.id()))
                .hosts(byHost.keySet(), h -> PgsqlFixtures.patroni(h, "patroni-cluster.json")
                        .extFixture(BackrestInfo.nameOf("pg-test"), "pgsql/pgbackrest-info.json"))
                .planAll();
        Map<String, List<String>> ran = new TreeMap<>();
        plans.forEach((h, p) -> {
            for (Change.Act a : p.actions()) {
                ran.computeIfAbsent(h, k -> new ArrayList<>()).add(a.task());
                a.steps().forEach(st -> assertValidShell(((Step.Exec) st).command()));
            }
        });
        // pg-test-2 leads in the recorded cluster: it is the one restored, the others are cloned again from it
        assertEquals(List.of("command stop patroni on pg-test-2", "command restore pg-test-2 to time 2030-01-01 00:00:00",
                "command forget the etcd state of pg-test", "command start pg-test-2 on the restored data"), ran.get("10.10.10.12"));
        assertEquals(List.of("command stop patroni on pg-test-1", "command clone pg-test-1 again from the restored leader"), ran.get("10.10.10.11"));
    }

    @Test
    void a_cluster_restores_another_cluster_s_backups_from_a_shared_repository_only() {
        String repo = "{\"pgbackrest_method\": \"minio\", \"pgbackrest_repo\": {\"minio\": {\"type\": \"s3\", \"s3_endpoint\": \"sss.pigsty\","
                + " \"s3_bucket\": \"pgsql\", \"s3_key\": \"pgbackrest\", \"s3_key_secret\": \"Sandbox.S3.Backup\", \"path\": \"/pgbackrest\","
                + " \"storage_port\": 9000, \"storage_ca_file\": \"/etc/pki/ca.crt\", \"cipher_type\": \"aes-256-cbc\", \"cipher_pass\": \"x.y.z.w\"}}}";
        PlanningFixture shared = PgsqlFixtures.sandbox(CRONTAB, repo);
        var work = Operations.pitr(shared.ctx(), shared.model().pgCluster("pg-meta").orElseThrow(), new Operations.Target("latest", ""),
                shared.model().pgCluster("pg-test").orElseThrow());
        Map<String, List<Task>> byHost = new TreeMap<>();
        work.forEach((n, tasks) -> byHost.put(n.id(), List.copyOf(tasks)));
        HostPlan meta = shared.tasks((c, n) -> byHost.get(n.id()))
                .hosts(byHost.keySet(), h -> PgsqlFixtures.fresh(h).extFixture(BackrestInfo.nameOf("pg-test"), "pgsql/pgbackrest-info.json")
                        .ext(PatroniCluster.nameOf("pg-meta"), "{\"members\": [{\"name\": \"pg-meta-1\", \"role\": \"leader\", \"state\": \"running\","
                                + " \"host\": \"10.10.10.10\", \"port\": 5432, \"timeline\": 1}]}"))
                .planAll().get("10.10.10.10");
        assertEquals(List.of("command stop patroni on pg-meta-1", "command restore pg-meta-1 to the end of the archived WAL",
                "command forget the etcd state of pg-meta", "command drop the stanza pg-meta, made for the data replaced by pg-test's",
                "command start pg-meta-1 on the restored data", "command stanza pg-meta and a first full backup of its new data"),
                meta.actions().stream().map(Change.Act::task).toList());
        String restore = ((Step.Exec) meta.actions().get(1).steps().get(0)).command();
        assertTrue(restore.contains("--stanza=pg-test --delta --pg1-path=/pg/data --archive-mode=off --type=default restore"), restore);
        meta.actions().forEach(a -> a.steps().forEach(st -> assertValidShell(((Step.Exec) st).command())));

        PlanningFixture local = PgsqlFixtures.sandbox(CRONTAB);
        PigException e = assertThrows(PigException.class, () -> Operations.pitr(local.ctx(), local.model().pgCluster("pg-meta").orElseThrow(),
                new Operations.Target("latest", ""), local.model().pgCluster("pg-test").orElseThrow()));
        assertTrue(e.getMessage().contains("back up to different repositories"), e.getMessage());
    }

    @Test
    void a_target_older_than_every_backup_is_refused() {
        HostFacts f = sandbox.facts("10.10.10.11");
        BackrestInfo.View v = new BackrestInfo("pg-test", TestPg.PG).parse(Fixtures.read("pgsql/pgbackrest-info.json"));
        var c = sandbox.model().pgCluster("pg-test").orElseThrow();
        PigException e = assertThrows(PigException.class, () -> Operations.checkRestorable(f, v, new Operations.Target("time", "2020-01-01 00:00:00"), c));
        assertTrue(e.getMessage().contains("oldest backup"), e.getMessage());
        Operations.checkRestorable(f, v, new Operations.Target("time", "2030-01-01 00:00:00"), c);
        BackrestInfo.View empty = new BackrestInfo("pg-test", TestPg.PG).parse("");
        assertThrows(PigException.class, () -> Operations.checkRestorable(f, empty, new Operations.Target("latest", ""), c));
    }
}
