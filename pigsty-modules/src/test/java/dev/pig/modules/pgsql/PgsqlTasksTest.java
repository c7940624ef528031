package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * The PGSQL tasks of one host planned on a fresh Debian 12 node (recorded facts): the dbsu's
 * sudo rights, the cluster's etcd user, the server certificate, and the patroni.yml of the
 * instances that are not the primary.
 */
class PgsqlTasksTest {
    static final Path SANDBOX = Golden.root().resolve("inventory-examples/sandbox.yml");

    static HostPlan plan(Path inventory, String host, String... extra) throws IOException {
        ClusterModel model = ModelLoader.load(inventory, List.of(extra)).model();
        ModuleContext ctx = new ModuleContext(model, Templates.builtIn());
        PgsqlModule pgsql = new PgsqlModule();
        List<Task> tasks = new ArrayList<>(pgsql.tasks(ctx, model.node(host).orElseThrow()));
        String out = Files.readString(Golden.root().resolve("src-test-fixtures/node/facts/debian12-fresh.out"))
                + "@@pig:section ext:" + PatroniCluster.nameOf("pg-test") + "\n"
                + "@@pig:section ext:" + PgCatalog.nameOf("pg-test") + "\n";
        HostFacts f = new FactGatherer(pgsql.factSections(ctx)).parse(host, Planner.request(tasks), out);
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        fleet.put(host, f);
        return Planner.planFromFacts(f, tasks, Masker.none(), fleet);
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }

    static String uploaded(Change c) {
        Step.Upload u = (Step.Upload) ((Change.Act) c).steps().stream().filter(s -> s instanceof Step.Upload).findFirst().orElseThrow();
        return new String(u.content(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "pg_dbsu_sudo: {0}")
    @CsvSource(delimiter = '|', value = {
            "limit  | postgres ALL=NOPASSWD: /bin/systemctl stop patroni, /bin/systemctl start patroni",
            "all    | postgres ALL=(ALL) ALL",
            "nopass | postgres ALL=(ALL) NOPASSWD: ALL"})
    void the_dbsu_gets_the_sudo_rights_pg_dbsu_sudo_names(String mode, String line) throws IOException {
        Change c = change(plan(SANDBOX, "10.10.10.11", "pg_dbsu_sudo=" + mode), "file /etc/sudoers.d/postgres");
        String sudoers = uploaded(c);
        assertTrue(sudoers.contains("(pg_dbsu_sudo: " + mode + ")"), sudoers);
        assertTrue(sudoers.lines().anyMatch(l -> l.startsWith(line)), sudoers);
        assertEquals(2, sudoers.lines().count(), "one comment and one rule: " + sudoers);
        Step.Upload u = (Step.Upload) ((Change.Act) c).steps().stream().filter(s -> s instanceof Step.Upload).findFirst().orElseThrow();
        assertEquals("0440 root", u.mode() + " " + u.owner());
    }

    @Test
    void pg_dbsu_sudo_none_writes_no_sudoers_file() throws IOException {
        HostPlan p = plan(SANDBOX, "10.10.10.11", "pg_dbsu_sudo=none");
        assertTrue(p.changes().stream().noneMatch(c -> c instanceof Change.Act a && a.summary().contains("/etc/sudoers.d/")), p.actions().toString());
        Change.NoOp n = assertInstanceOf(Change.NoOp.class, change(p, "file /etc/sudoers.d/postgres"));
        assertTrue(n.reason().endsWith("pg_dbsu_sudo is none"), n.reason());
    }

    @Test
    void the_primary_makes_the_cluster_s_etcd_user_with_access_to_its_prefix_only() throws IOException {
        Change.Act a = assertInstanceOf(Change.Act.class, change(plan(SANDBOX, "10.10.10.11"), "command etcd user pg-test"));
        String cmd = ((Step.Exec) a.steps().get(0)).command();
        assertTrue(cmd.contains("--endpoints=10.10.10.10:2379"), cmd);
        // both passwords reach etcdctl on the step's stdin: root's through ETCDCTL_USER, the new one on etcdctl's stdin
        assertTrue(cmd.contains("ETCDCTL_USER=\"$pig_root\" ") && cmd.contains("| ETCDCTL_USER=\"$pig_root\" ETCDCTL_API=3 etcdctl"
                + " --endpoints=10.10.10.10:2379 --command-timeout=5s user add pg-test --interactive=false"), cmd);
        assertFalse(cmd.contains("Etcd.Root") || cmd.contains("--new-user-password"), cmd);
        assertEquals("root:Etcd.Root\npg-test\n", ((Step.Exec) a.steps().get(0)).input());
        assertTrue(cmd.contains(" role grant-permission pg-test readwrite /pg/pg-test/ --prefix=true"), cmd);
        assertTrue(cmd.contains(" user grant-role pg-test pg-test"), cmd);
        HostPlan replica = plan(SANDBOX, "10.10.10.12");
        assertTrue(replica.changes().stream().noneMatch(c -> c.task().contains("etcd user")), "only the primary makes the etcd user");
    }

    @Test
    void each_instance_makes_its_own_server_certificate_once() throws IOException {
        Change.Act a = assertInstanceOf(Change.Act.class, change(plan(SANDBOX, "10.10.10.12"), "command server certificate of pg-test-2"));
        String cmd = ((Step.Exec) a.steps().get(0)).command();
        // made by the dbsu in its own directory: root writes nothing there
        assertTrue(cmd.contains("setpriv --reuid=postgres --regid=postgres --init-groups -- env HOME=/var/lib/pgsql sh -c 'umask 077"), cmd);
        assertTrue(cmd.contains(" sh /CN=pg-test-2 subjectAltName=IP:10.10.10.12 /data/postgres/pg-test-15/cert/server.key"
                + " /data/postgres/pg-test-15/cert/server.crt)"), cmd);
        assertEquals("pg_cert", a.tag());
        String patroni = uploaded(change(plan(SANDBOX, "10.10.10.12"), "file /etc/patroni/patroni.yml"));
        assertTrue(patroni.contains("    ssl: 'on'\n    ssl_cert_file: '/pg/cert/server.crt'\n    ssl_key_file: '/pg/cert/server.key'\n"), patroni);
    }

    static String patroniYml(Path inventory, String host, String... extra) {
        ClusterModel m = ModelLoader.load(inventory, List.of(extra)).model();
        ModuleContext ctx = new ModuleContext(m, Templates.builtIn());
        Node n = m.node(host).orElseThrow();
        return TestPg.patroniYml(ctx, n, 4096, 2);
    }

    @Test
    void a_replica_serving_offline_queries_matches_its_golden_copy() {
        String yml = patroniYml(SANDBOX, "10.10.10.13");
        Golden.check("pgsql/golden/patroni-oltp-2c4g-pg-test-3.yml", yml);
        assertTrue(yml.contains("tags:\n  nofailover: false\n  noloadbalance: false\n  clonefrom: true\n  nosync: true\n"), yml);
    }

    @Test
    void an_offline_instance_never_leads_nor_serves_nor_is_cloned_from() {
        Path inv = Golden.root().resolve("src-test-fixtures/pgsql/inventory/offline.yml");
        assertTrue(patroniYml(inv, "10.10.10.13").contains("tags:\n  nofailover: true\n  noloadbalance: true\n  clonefrom: false\n  nosync: true\n"));
        assertTrue(patroniYml(inv, "10.10.10.12").contains("tags:\n  nofailover: false\n  noloadbalance: false\n  clonefrom: true\n  nosync: true\n"));
        assertTrue(patroniYml(inv, "10.10.10.11").contains("tags:\n  nofailover: false\n  noloadbalance: false\n  clonefrom: true\n  nosync: false\n"));
    }

    @Test
    void pg_rpo_zero_turns_synchronous_mode_on() {
        assertTrue(patroniYml(SANDBOX, "10.10.10.11", "pg_rpo=0").contains("    maximum_lag_on_failover: 0\n    synchronous_mode: true\n"));
        String dflt = patroniYml(SANDBOX, "10.10.10.11");
        assertTrue(dflt.contains("    maximum_lag_on_failover: 1048576\n    synchronous_mode: false\n"), dflt);
        assertFalse(dflt.contains("synchronous_mode: true"));
    }
}
