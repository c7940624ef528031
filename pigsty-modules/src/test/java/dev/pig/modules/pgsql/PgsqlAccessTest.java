package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;

/**
 * PgBouncer, the HAProxy services, the VIP, pgBackRest and the exporters of the sandbox
 * example, planned from recorded facts: every file they render against a golden copy, and the
 * decisions that depend on facts (who leads, what the repository and the catalog hold).
 */
class PgsqlAccessTest {
    static {
        // the golden userlists hold SCRAM verifiers, whose salts are random for each run of pig
        Passwords.fixSaltKeyForTests(new byte[32]);
    }

    static final List<String> ACCESS_PATHS = List.of("/etc/pgbouncer/", "/etc/haproxy/pg-", "/etc/pgbackrest/", "/pg/bin/",
            "/etc/default/prometheus-postgres-exporter", "/etc/systemd/system/pgbouncer_exporter.service",
            "/etc/keepalived/", "/var/spool/cron/crontabs/");

    final ClusterModel model = load(List.of("{\"pg_crontab\": [\"00 01 * * * /pg/bin/pg-backup full\"]}"));
    final ModuleContext ctx = new ModuleContext(model, Templates.builtIn());
    final PgsqlModule pgsql = new PgsqlModule();

    static ClusterModel load(List<String> extra) {
        return ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), extra).model();
    }

    static String fixture(String name) throws IOException {
        return Files.readString(Golden.root().resolve("src-test-fixtures/" + name));
    }

    List<Task> tasks(ModuleContext c, String host) {
        return new ArrayList<>(pgsql.tasks(c, c.model().node(host).orElseThrow()));
    }

    /** Facts of a fresh Debian 12 host with the given module sections' output. */
    HostFacts facts(ModuleContext c, String host, Map<String, String> sections) throws IOException {
        return new FactGatherer(pgsql.factSections(c)).parse(host, Planner.request(tasks(c, host)), factsText(host, sections));
    }

    static String factsText(String host, Map<String, String> sections) throws IOException {
        StringBuilder out = new StringBuilder(fixture("node/facts/debian12-fresh.out"));
        out.append("@@pig:section ext:pgsql.interfaces\n").append(interfaces(host));
        sections.forEach((name, text) -> out.append("@@pig:section ext:").append(name).append('\n').append(text).append('\n'));
        return out.toString();
    }

    /** What {@code ip -o -4 addr show} prints on a sandbox node. */
    static String interfaces(String host) {
        return "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
                + "51: eth0    inet " + host + "/24 scope global eth0\\       valid_lft forever preferred_lft forever\n";
    }

    HostPlan plan(ModuleContext c, String host, Map<String, HostFacts> fleet) {
        return Planner.planFromFacts(fleet.get(host), tasks(c, host), Masker.none(), fleet);
    }

    /** A fresh pg-test: nothing runs, so the inventory's primary leads. */
    Map<String, HostFacts> freshFleet(ModuleContext c) throws IOException {
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        for (String h : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            fleet.put(h, facts(c, h, Map.of()));
        }
        return fleet;
    }

    static Map<String, String> uploads(HostPlan p) {
        Map<String, String> out = new TreeMap<>();
        for (Change ch : p.changes()) {
            if (ch instanceof Change.Act a) {
                for (Step s : a.steps()) {
                    if (s instanceof Step.Upload u) {
                        String path = u.path().replaceAll("/\\.([^/]+)\\.pig-new$", "/$1");
                        out.put(path, new String(u.content(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }

    @TestFactory
    Stream<DynamicTest> every_access_file_matches_its_golden_copy() throws IOException {
        Map<String, HostFacts> fleet = freshFleet(ctx);
        List<DynamicTest> out = new ArrayList<>();
        for (String host : List.of("10.10.10.11", "10.10.10.13")) {
            uploads(plan(ctx, host, fleet)).forEach((path, content) -> {
                if (ACCESS_PATHS.stream().anyMatch(path::startsWith)) {
                    String golden = "pgsql/golden/access/" + host + "/" + path.substring(1).replace('/', '_');
                    out.add(DynamicTest.dynamicTest(golden, () -> Golden.check(golden, content)));
                }
            });
        }
        assertEquals(2 * 18, out.size(), "each member renders 18 access files: " + out.stream().map(DynamicTest::getDisplayName).toList());
        return out.stream();
    }

    @Test
    void pg_vip_interface_auto_takes_the_interface_carrying_the_instance_ip() throws IOException {
        ModuleContext auto = new ModuleContext(load(List.of("pg_vip_interface=auto")), Templates.builtIn());
        String conf = uploads(plan(auto, "10.10.10.12", freshFleet(auto))).get("/etc/keepalived/keepalived.conf");
        assertTrue(conf.contains("    interface eth0\n") && conf.contains("10.10.10.3/24 dev eth0"), conf);
        HostFacts bare = new FactGatherer(pgsql.factSections(auto)).parse("10.10.10.12",
                Planner.request(tasks(auto, "10.10.10.12")), fixture("node/facts/debian12-fresh.out"));
        PigException e = assertThrows(PigException.class, () -> Planner.planFromFacts(bare, tasks(auto, "10.10.10.12"), Masker.none(),
                Map.of("10.10.10.12", bare)));
        assertTrue(e.getMessage().contains("no interface carries 10.10.10.12"), e.getMessage());
    }

    @Test
    void the_offline_service_routes_to_the_offline_replica_with_ordinary_replicas_as_backup() throws IOException {
        String offline = uploads(plan(ctx, "10.10.10.11", freshFleet(ctx))).get("/etc/haproxy/pg-test-offline.cfg");
        assertTrue(offline.contains("    bind *:5438\n"), offline);
        assertTrue(offline.contains("    server pg-test-3 10.10.10.13:5432 check port 8008 weight 100\n"), offline);
        assertTrue(offline.contains("    server pg-test-2 10.10.10.12:5432 check port 8008 weight 100 backup\n"), offline);
        assertFalse(offline.contains("pg-test-1 10.10.10.11"), "the primary serves no offline queries: " + offline);
        assertTrue(offline.contains("http-check send meth OPTIONS uri /replica"), offline);
    }

    @Test
    void the_primary_and_replica_services_go_through_pgbouncer_with_checks_timed_by_pg_rto() throws IOException {
        Map<String, String> files = uploads(plan(ctx, "10.10.10.12", freshFleet(ctx)));
        String primary = files.get("/etc/haproxy/pg-test-primary.cfg");
        for (String ip : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            assertTrue(primary.contains(ip + ":6432 check port 8008 weight 100\n"), primary);
        }
        assertTrue(primary.contains("default-server inter 2s fastinter 1s downinter 2s rise 3 fall 3 on-marked-down shutdown-sessions"), primary);
        String replica = files.get("/etc/haproxy/pg-test-replica.cfg");
        assertTrue(replica.contains("server pg-test-1 10.10.10.11:6432 check port 8008 weight 100 backup\n"), replica);
        assertTrue(replica.contains("server pg-test-2 10.10.10.12:6432 check port 8008 weight 100\n"), replica);

        ClusterModel fast = load(List.of("pg_rto=fast"));
        ModuleContext fctx = new ModuleContext(fast, Templates.builtIn());
        String quick = uploads(plan(fctx, "10.10.10.12", freshFleet(fctx))).get("/etc/haproxy/pg-test-primary.cfg");
        assertTrue(quick.contains("inter 1s fastinter 0.5s downinter 1s rise 3 fall 3"), quick);
    }

    @Test
    void pg_service_provider_moves_the_services_to_the_nodes_of_that_group() throws IOException {
        ClusterModel m = load(List.of("{\"pg_service_provider\": \"infra\"}"));
        ModuleContext c = new ModuleContext(m, Templates.builtIn());
        assertTrue(pgsql.hosts(m).stream().anyMatch(n -> n.id().equals("10.10.10.10")));
        Map<String, HostFacts> fleet = freshFleet(c);
        fleet.put("10.10.10.10", facts(c, "10.10.10.10", Map.of()));
        Map<String, String> infra = uploads(plan(c, "10.10.10.10", fleet));
        assertTrue(infra.containsKey("/etc/haproxy/pg-test-primary.cfg") && infra.containsKey("/etc/haproxy/pg-meta-primary.cfg"),
                infra.keySet().toString());
        assertTrue(infra.get("/etc/haproxy/pg-test-primary.cfg").contains("server pg-test-1 10.10.10.11:6432"));
        Map<String, String> member = uploads(plan(c, "10.10.10.12", fleet));
        assertTrue(member.keySet().stream().noneMatch(p -> p.startsWith("/etc/haproxy/")), member.keySet().toString());
    }

    @Test
    void a_service_file_no_longer_in_the_inventory_is_removed_and_haproxy_reloaded() throws IOException {
        Map<String, HostFacts> fleet = freshFleet(ctx);
        fleet.put("10.10.10.12", facts(ctx, "10.10.10.12", Map.of("pgsql.service-files",
                "/etc/haproxy/pg-test-old.cfg\n/etc/haproxy/pg-test-primary.cfg")));
        HostPlan p = plan(ctx, "10.10.10.12", fleet);
        Change.Act rm = assertInstanceOf(Change.Act.class, change(p, "stale service files"));
        assertEquals("remove /etc/haproxy/pg-test-old.cfg", rm.summary());
        Change.Act reload = assertInstanceOf(Change.Act.class, change(p, "reload haproxy.service"));
        assertTrue(reload.steps().stream().map(Step::shown).anyMatch(s -> s.equals("haproxy -c -q -f /etc/haproxy")), reload.toString());
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
        var users = Pgbouncer.users(model.pgCluster("pg-test").orElseThrow(), ctx.vars(model.node("10.10.10.11").orElseThrow()));
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
    void backups_are_made_on_the_live_leader_once() throws IOException {
        Map<String, String> cluster = Map.of(PatroniCluster.nameOf("pg-test"), fixture("pgsql/patroni-cluster.json"));
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        fleet.put("10.10.10.11", facts(ctx, "10.10.10.11", cluster));
        fleet.put("10.10.10.12", facts(ctx, "10.10.10.12", cluster));
        Change.NoOp old = assertInstanceOf(Change.NoOp.class, change(plan(ctx, "10.10.10.11", fleet), "command pgbackrest stanza pg-test"));
        assertTrue(old.reason().contains("on the leader 10.10.10.12 only"), old.reason());
        HostPlan leader = plan(ctx, "10.10.10.12", fleet);
        assertInstanceOf(Change.Act.class, change(leader, "command pgbackrest stanza pg-test"));
        assertInstanceOf(Change.Act.class, change(leader, "command first full backup of pg-test"));

        Map<String, String> backedUp = new LinkedHashMap<>(cluster);
        backedUp.put(BackrestInfo.nameOf("pg-test"), fixture("pgsql/pgbackrest-info.json"));
        fleet.put("10.10.10.12", facts(ctx, "10.10.10.12", backedUp));
        HostPlan again = plan(ctx, "10.10.10.12", fleet);
        assertInstanceOf(Change.NoOp.class, change(again, "command pgbackrest stanza pg-test"));
        Change.NoOp once = assertInstanceOf(Change.NoOp.class, change(again, "command first full backup of pg-test"));
        assertTrue(once.reason().contains("1 backup(s)"), once.reason());

        // a leader just promoted: its role-change callback made the stanza and runs the first backup
        Map<String, String> promoted = new LinkedHashMap<>(cluster);
        promoted.put(BackrestInfo.nameOf("pg-test"), "[{\"archive\":[],\"backup\":[],\"name\":\"pg-test\","
                + "\"status\":{\"code\":2,\"lock\":{\"backup\":{\"held\":true}},\"message\":\"no valid backups\"}}]");
        fleet.put("10.10.10.12", facts(ctx, "10.10.10.12", promoted));
        HostPlan running = plan(ctx, "10.10.10.12", fleet);
        assertInstanceOf(Change.NoOp.class, change(running, "command pgbackrest stanza pg-test"));
        Change.NoOp waits = assertInstanceOf(Change.NoOp.class, change(running, "command first full backup of pg-test"));
        assertTrue(waits.reason().contains("a backup of pg-test runs"), waits.reason());
    }

    @Test
    void pgbackrest_info_is_parsed_from_its_json() throws IOException {
        BackrestInfo.View v = new BackrestInfo("pg-test", TestPg.PG).parse(fixture("pgsql/pgbackrest-info.json"));
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
    void a_recovery_stops_replicas_then_restores_the_live_leader_and_every_step_is_valid_shell() throws Exception {
        Map<String, String> cluster = Map.of(PatroniCluster.nameOf("pg-test"), fixture("pgsql/patroni-cluster.json"),
                BackrestInfo.nameOf("pg-test"), fixture("pgsql/pgbackrest-info.json"));
        var c = model.pgCluster("pg-test").orElseThrow();
        var work = Operations.pitr(ctx, c, new Operations.Target("time", "2030-01-01 00:00:00"));
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        for (var e : work.entrySet()) {
            fleet.put(e.getKey().id(), new FactGatherer(pgsql.factSections(ctx)).parse(e.getKey().id(), Planner.request(e.getValue()),
                    factsText(e.getKey().id(), cluster)));
        }
        Map<String, List<String>> ran = new TreeMap<>();
        for (var e : work.entrySet()) {
            HostPlan p = Planner.planFromFacts(fleet.get(e.getKey().id()), e.getValue(), Masker.none(), fleet);
            for (Change ch : p.changes()) {
                if (ch instanceof Change.Act a) {
                    ran.computeIfAbsent(e.getKey().id(), k -> new ArrayList<>()).add(a.task());
                    for (Step st : a.steps()) {
                        String cmd = ((Step.Exec) st).command();
                        Process sh = new ProcessBuilder("sh", "-n", "-c", cmd).redirectErrorStream(true).start();
                        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        assertEquals(0, sh.waitFor(), cmd + "\n" + out);
                    }
                }
            }
        }
        // pg-test-2 leads in the recorded cluster: it is the one restored, the others are cloned again from it
        assertEquals(List.of("command stop patroni on pg-test-2", "command restore pg-test-2 to time 2030-01-01 00:00:00",
                "command forget the etcd state of pg-test", "command start pg-test-2 on the restored data"), ran.get("10.10.10.12"));
        assertEquals(List.of("command stop patroni on pg-test-1", "command clone pg-test-1 again from the restored leader"), ran.get("10.10.10.11"));
    }

    @Test
    void a_target_older_than_every_backup_is_refused() throws IOException {
        HostFacts f = facts(ctx, "10.10.10.11", Map.of());
        BackrestInfo.View v = new BackrestInfo("pg-test", TestPg.PG).parse(fixture("pgsql/pgbackrest-info.json"));
        var c = model.pgCluster("pg-test").orElseThrow();
        PigException e = assertThrows(PigException.class, () -> Operations.checkRestorable(f, v, new Operations.Target("time", "2020-01-01 00:00:00"), c));
        assertTrue(e.getMessage().contains("oldest backup"), e.getMessage());
        Operations.checkRestorable(f, v, new Operations.Target("time", "2030-01-01 00:00:00"), c);
        BackrestInfo.View empty = new BackrestInfo("pg-test", TestPg.PG).parse("");
        assertThrows(PigException.class, () -> Operations.checkRestorable(f, empty, new Operations.Target("latest", ""), c));
    }
}
