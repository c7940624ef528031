package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
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
 * How a running pg-test is changed, planned from recorded facts: the DCS config of a real cluster
 * ({@code GET /config}), its members ({@code GET /cluster}), the settings its PostgreSQL reads
 * only at start ({@code pg_settings}), and each member's patroni.yml as a deploy of the
 * inventory left it, on the sandbox's nodes (2 cpu, 24 GB).
 */
class RollingRestartTest {
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");

    static String fixture(String name) throws IOException {
        return Files.readString(Golden.root().resolve("src-test-fixtures/" + name));
    }

    /** The sandbox inventory with {@code extraVars}, its pgsql tasks and the facts of pg-test. */
    static final class Cluster {
        final ClusterModel model;
        final ModuleContext ctx;
        final PgsqlModule pgsql = new PgsqlModule();

        Cluster(String... extraVars) {
            model = ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), List.of(extraVars)).model();
            ctx = new ModuleContext(model, Templates.builtIn());
        }

        List<Task> tasks(String host) {
            return new ArrayList<>(pgsql.tasks(ctx, model.node(host).orElseThrow()));
        }

        /** The patroni.yml this inventory gives {@code host} on a node of {@code cpus} and the fixture's memory. */
        String patroniYml(String host, int cpus) throws IOException {
            Node n = model.node(host).orElseThrow();
            HostFacts f = facts(host, null, "pgsql/patroni-cluster-converged.json", "pgsql/patroni-live-converged.out", cpus, this);
            PgNode pn = PgNode.of(ctx, n);
            return ctx.render("pgsql/patroni.yml.ftl", PatroniYml.of(pn).tuned(f, pn.v()));
        }

        /** Every member's facts, with the patroni.yml {@code deployed} left on it. */
        Map<String, HostFacts> fleet(Cluster deployed, String cluster, String live, int cpus) throws IOException {
            Map<String, HostFacts> out = new LinkedHashMap<>();
            for (String h : PG_TEST) {
                out.put(h, facts(h, deployed.patroniYml(h, cpus), cluster, live, cpus, this));
            }
            return out;
        }

        HostPlan plan(String host, Map<String, HostFacts> fleet, Masker masker) {
            return Planner.planFromFacts(fleet.get(host), tasks(host), masker, fleet);
        }
    }

    /** A pg-test host's facts: the fresh Debian node, with patroni.yml and running Patroni, and the Patroni sections. */
    static HostFacts facts(String host, String patroniYml, String cluster, String live, int cpus, Cluster c) throws IOException {
        Map<String, String> s = new LinkedHashMap<>(FactParsers.sections(fixture("node/facts/debian12-fresh.out")));
        s.put("cpu", cpus + "\n");
        if (patroniYml != null) {
            byte[] b = patroniYml.getBytes(StandardCharsets.UTF_8);
            s.put("files", Paths.PATRONI_CONF + "\tfile\t600\tpostgres\tpostgres\t" + b.length + "\t"
                    + Step.Hashes.sha256(b) + "\t\n@@content " + Base64.getEncoder().encodeToString(b) + "\n");
        }
        s.put("units", "@@unit patroni.service\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n"
                + "ActiveEnterTimestampMonotonic=1000000\nMainPID=100\n");
        s.put("ext:" + PatroniCluster.nameOf("pg-test"), fixture(cluster));
        s.put("ext:" + PatroniLive.nameOf("pg-test"), fixture(live));
        // what PostgreSQL says of its settings goes with the DCS config the live fixture holds
        s.put("ext:" + PgCatalog.nameOf("pg-test"), live.endsWith(".out") ? fixture(live.replace("patroni-live-", "pg-settings-")
                .replace(".out", ".jsonl")) : "");
        StringBuilder out = new StringBuilder();
        s.forEach((k, v) -> out.append(FactParsers.SECTION).append(k).append('\n').append(v.endsWith("\n") ? v : v + "\n"));
        out.append(FactParsers.END).append('\n');
        return new FactGatherer(c.pgsql.factSections(c.ctx)).parse(host, Planner.request(c.tasks(host)), out.toString());
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }

    /** What the plan does to Patroni's config and members (the facts say nothing true of the rest of the node). */
    static final List<String> PATRONI_TASKS = List.of("file " + Paths.PATRONI_CONF, "reload patroni", PatroniConfig.NAME,
            RollingRestart.NAME);

    static List<String> acts(HostPlan p) {
        return p.changes().stream().filter(c -> c instanceof Change.Act && PATRONI_TASKS.contains(c.task()))
                .map(c -> c.task().equals("file " + Paths.PATRONI_CONF) ? c.task() : ((Change.Act) c).summary()).toList();
    }

    static Map<String, HostFacts> converged(Cluster now) throws IOException {
        return now.fleet(new Cluster(), "pgsql/patroni-cluster-converged.json", "pgsql/patroni-live-converged.out", 2);
    }

    @Test
    void a_converged_cluster_plans_nothing_and_says_why() throws IOException {
        Cluster c = new Cluster();
        Map<String, HostFacts> fleet = converged(c);
        for (String h : PG_TEST) {
            assertEquals(List.of(), acts(c.plan(h, fleet, Masker.none())), h);
        }
        HostPlan leader = c.plan("10.10.10.11", fleet, Masker.none());
        assertEquals("the DCS config of pg-test matches the inventory",
                assertInstanceOf(Change.NoOp.class, change(leader, PatroniConfig.NAME)).reason());
        assertTrue(assertInstanceOf(Change.NoOp.class, change(leader, RollingRestart.NAME)).reason()
                .startsWith("no member of pg-test needs a restart"));
        assertEquals("on the leader 10.10.10.11 only", assertInstanceOf(Change.NoOp.class,
                change(c.plan("10.10.10.12", fleet, Masker.none()), RollingRestart.NAME)).reason());
    }

    @Test
    void a_higher_max_connections_patches_the_dcs_and_restarts_replicas_then_switches_over() throws Exception {
        Cluster c = new Cluster("pg_max_conn=600");
        Map<String, HostFacts> fleet = converged(c);
        HostPlan leader = c.plan("10.10.10.11", fleet, Masker.of(new dev.pig.core.model.Secret("Patroni.API")));
        Change.Act patch = assertInstanceOf(Change.Act.class, change(leader, PatroniConfig.NAME));
        assertEquals("patroni config of pg-test: max_connections 250 -> 600", patch.summary());
        String cmd = ((Step.Exec) patch.steps().get(0)).command();
        assertTrue(cmd.contains("-X PATCH") && cmd.contains("'{\"postgresql\":{\"parameters\":{\"max_connections\":600}}}'")
                && cmd.endsWith("http://127.0.0.1:8008/config >/dev/null\n"), cmd);
        // patroni_username/password reach curl in a config file of the step's, from its stdin
        assertTrue(cmd.contains("-K \"$pig_auth\" -X PATCH"), cmd);
        assertFalse(cmd.contains("Patroni.API"), "no password on the command line: " + cmd);
        assertEquals("user = \"postgres:Patroni.API\"\n", ((Step.Exec) patch.steps().get(0)).input());
        assertFalse(patch.steps().get(0).shown().contains("Patroni.API"), "the password is masked in the plan");

        Change.Act restart = assertInstanceOf(Change.Act.class, change(leader, RollingRestart.NAME));
        assertEquals("restart pg-test (max_connections 250 -> 600): pg-test-2, pg-test-3, then switchover to pg-test-2"
                + " (pg-test-1 restarts as its replica)", restart.summary());
        List<String> steps = restart.steps().stream().map(s -> ((Step.Exec) s).command()).toList();
        assertEquals(3, steps.size());
        assertTrue(steps.get(0).contains("post 10.10.10.12 restart 600") && steps.get(0).contains("streams pg-test-2 10.10.10.11"), steps.get(0));
        assertTrue(steps.get(1).contains("post 10.10.10.13 restart 600") && steps.get(1).contains("streams pg-test-3 10.10.10.11"), steps.get(1));
        assertTrue(steps.get(2).contains("post 10.10.10.11 switchover 120 '{\"leader\":\"pg-test-1\",\"candidate\":\"pg-test-2\"}'")
                || steps.get(2).contains("post 10.10.10.11 switchover 120 '{\"candidate\":\"pg-test-2\",\"leader\":\"pg-test-1\"}'"), steps.get(2));
        assertTrue(steps.get(2).contains("streams pg-test-1 10.10.10.12"), "the old leader streams from the new one: " + steps.get(2));
        for (String step : steps) {
            assertEquals(0, PatroniFactsTest.sh("sh -n -c " + dev.pig.core.ssh.Shell.quote(step)), "not valid sh: " + step);
        }
        assertTrue(stageOf(leader, RollingRestart.NAME).compareTo(stageOf(leader, PatroniConfig.NAME)) > 0);
        assertTrue(stageOf(leader, RollingRestart.NAME).compareTo(stageOf(leader, "role test")) > 0,
                "the switchover comes after everything planned on the leader");
        for (String h : List.of("10.10.10.12", "10.10.10.13")) {
            // bootstrap.dcs of their patroni.yml says 600 too: the file is rewritten and reloaded, nothing else
            assertEquals(List.of("file /etc/patroni/patroni.yml", "reload patroni (/etc/patroni/patroni.yml changed)"),
                    acts(c.plan(h, fleet, Masker.none())), "only the leader drives the cluster");
        }
    }

    static String stageOf(HostPlan p, String task) {
        for (int i = 0; i < p.changes().size(); i++) {
            if (p.changes().get(i).task().equals(task)) {
                return p.stages().get(i);
            }
        }
        throw new AssertionError(task);
    }

    @Test
    void a_lower_max_connections_restarts_the_leader_in_place_first() throws IOException {
        Cluster c = new Cluster("pg_max_conn=100");
        Change.Act restart = assertInstanceOf(Change.Act.class, change(c.plan("10.10.10.11", converged(c), Masker.none()), RollingRestart.NAME));
        assertEquals("restart pg-test (max_connections 250 -> 100): pg-test-1 in place first (a lowered max_connections must reach"
                + " the primary before its replicas), pg-test-2, pg-test-3", restart.summary());
        assertFalse(restart.steps().stream().anyMatch(s -> ((Step.Exec) s).command().contains("switchover")));
        assertTrue(((Step.Exec) restart.steps().get(0)).command().contains("post 10.10.10.11 restart 600"));
    }

    @Test
    void pg_rto_changes_the_dcs_timing_without_a_restart() throws IOException {
        Cluster c = new Cluster("pg_rto=fast");
        HostPlan leader = c.plan("10.10.10.11", converged(c), Masker.none());
        assertEquals("patroni config of pg-test: ttl 30 -> 20, retry_timeout 10 -> 5, primary_start_timeout 25 -> 15",
                ((Change.Act) change(leader, PatroniConfig.NAME)).summary());
        assertInstanceOf(Change.NoOp.class, change(leader, RollingRestart.NAME));
    }

    @Test
    void pg_rpo_zero_turns_synchronous_mode_on_without_a_restart() throws IOException {
        Cluster c = new Cluster("pg_rpo=0");
        HostPlan leader = c.plan("10.10.10.11", converged(c), Masker.none());
        assertEquals("patroni config of pg-test: maximum_lag_on_failover 1048576 -> 0, synchronous_mode false -> true",
                ((Change.Act) change(leader, PatroniConfig.NAME)).summary());
        assertInstanceOf(Change.NoOp.class, change(leader, RollingRestart.NAME));
    }

    @Test
    void a_reloadable_setting_is_a_file_change_and_a_reload_only() throws IOException {
        Cluster c = new Cluster("{pg_parameters: {work_mem: 32MB}}");
        Map<String, HostFacts> fleet = converged(c);
        for (String h : PG_TEST) {
            HostPlan p = c.plan(h, fleet, Masker.none());
            assertEquals(List.of("file /etc/patroni/patroni.yml", "reload patroni (/etc/patroni/patroni.yml changed)"), acts(p), h);
        }
        assertInstanceOf(Change.NoOp.class, change(c.plan("10.10.10.11", fleet, Masker.none()), RollingRestart.NAME));
    }

    @Test
    void a_restart_only_setting_of_patroni_yml_restarts_every_member_it_changes() throws IOException {
        Cluster c = new Cluster("{pg_parameters: {shared_buffers: 2GB}}");
        Change.Act restart = assertInstanceOf(Change.Act.class, change(c.plan("10.10.10.11", converged(c), Masker.none()), RollingRestart.NAME));
        assertEquals("restart pg-test (shared_buffers 6027MB -> 2GB on pg-test-1; shared_buffers 6027MB -> 2GB on pg-test-2;"
                + " shared_buffers 6027MB -> 2GB on pg-test-3): pg-test-2, pg-test-3, then switchover to pg-test-2 (pg-test-1 restarts as its replica)",
                restart.summary());
    }

    @Test
    void a_member_patroni_reports_pending_restart_is_restarted_alone() throws IOException {
        Cluster c = new Cluster();
        Map<String, HostFacts> fleet = c.fleet(new Cluster(), "pgsql/patroni-cluster-pending.json", "pgsql/patroni-live-converged.out", 2);
        Change.Act restart = assertInstanceOf(Change.Act.class, change(c.plan("10.10.10.11", fleet, Masker.none()), RollingRestart.NAME));
        assertEquals("restart pg-test (pending restart on pg-test-3): pg-test-3", restart.summary());
        assertEquals(1, restart.steps().size());
    }

    @Test
    void a_cluster_made_by_an_older_pig_gets_wal_keep_size_in_the_dcs_without_a_restart() throws IOException {
        Cluster c = new Cluster();
        Map<String, HostFacts> fleet = c.fleet(new Cluster(), "pgsql/patroni-cluster-converged.json", "pgsql/patroni-live-old-template.out", 2);
        HostPlan leader = c.plan("10.10.10.11", fleet, Masker.none());
        assertEquals("patroni config of pg-test: wal_keep_size (unset) -> 1GB", ((Change.Act) change(leader, PatroniConfig.NAME)).summary());
        assertInstanceOf(Change.NoOp.class, change(leader, RollingRestart.NAME), "wal_keep_size is reloadable");
    }

    @Test
    void max_worker_processes_follows_the_bootstrap_node_unless_pg_parameters_sets_it() throws IOException {
        Cluster c = new Cluster();
        Map<String, HostFacts> fleet = c.fleet(new Cluster(), "pgsql/patroni-cluster-converged.json", "pgsql/patroni-live-converged.out", 16);
        HostPlan leader = c.plan("10.10.10.11", fleet, Masker.none());
        assertEquals("the DCS config of pg-test matches the inventory; max_worker_processes stays 10 (tuned 24 here): it follows"
                + " the CPUs of the node that created the cluster; set pg_parameters.max_worker_processes to change it",
                assertInstanceOf(Change.NoOp.class, change(leader, PatroniConfig.NAME)).reason());
        Cluster set = new Cluster("{pg_parameters: {max_worker_processes: 24}}");
        HostPlan p = set.plan("10.10.10.11", set.fleet(new Cluster(), "pgsql/patroni-cluster-converged.json", "pgsql/patroni-live-converged.out", 16),
                Masker.none());
        assertEquals("patroni config of pg-test: max_worker_processes 10 -> 24", ((Change.Act) change(p, PatroniConfig.NAME)).summary());
    }

    @Test
    void a_paused_cluster_is_not_restarted() throws IOException {
        Cluster c = new Cluster("pg_max_conn=600");
        Map<String, HostFacts> fleet = c.fleet(new Cluster(), "pgsql/patroni-cluster-paused.json", "pgsql/patroni-live-converged.out", 2);
        HostPlan leader = c.plan("10.10.10.11", fleet, Masker.none());
        assertInstanceOf(Change.Act.class, change(leader, PatroniConfig.NAME));
        assertTrue(assertInstanceOf(Change.NoOp.class, change(leader, RollingRestart.NAME)).reason().startsWith(
                "pg-test is paused (maintenance mode): pig does not restart or switch over a paused cluster"));
    }

    @Test
    void without_a_replica_to_switch_to_the_leader_restarts_in_place() throws IOException {
        Cluster c = new Cluster("pg_max_conn=600");
        Map<String, HostFacts> fleet = c.fleet(new Cluster(), "pgsql/patroni-cluster-nofailover.json", "pgsql/patroni-live-converged.out", 2);
        Change.Act restart = assertInstanceOf(Change.Act.class, change(c.plan("10.10.10.11", fleet, Masker.none()), RollingRestart.NAME));
        assertEquals("restart pg-test (max_connections 250 -> 600): pg-test-2, pg-test-3, then pg-test-1 in place"
                + " (no healthy replica to switch over to)", restart.summary());
    }

    @Test
    void a_synchronous_cluster_switches_over_to_its_synchronous_standby() throws IOException {
        Cluster c = new Cluster("pg_max_conn=600", "pg_rpo=0");
        Map<String, HostFacts> fleet = c.fleet(new Cluster(), "pgsql/patroni-cluster-sync.json", "pgsql/patroni-live-sync.out", 2);
        Change.Act restart = assertInstanceOf(Change.Act.class, change(c.plan("10.10.10.11", fleet, Masker.none()), RollingRestart.NAME));
        assertTrue(restart.summary().endsWith("then switchover to pg-test-3 (pg-test-1 restarts as its replica)"), restart.summary());
    }

    @Test
    void after_a_failover_the_new_leader_drives_the_restart() throws IOException {
        Cluster c = new Cluster("pg_max_conn=600");
        Map<String, HostFacts> fleet = c.fleet(new Cluster(), "pgsql/patroni-cluster.json", "pgsql/patroni-live-converged.out", 2);
        assertEquals("on the leader 10.10.10.12 only", assertInstanceOf(Change.NoOp.class,
                change(c.plan("10.10.10.11", fleet, Masker.none()), RollingRestart.NAME)).reason());
        Change.Act restart = assertInstanceOf(Change.Act.class, change(c.plan("10.10.10.12", fleet, Masker.none()), RollingRestart.NAME));
        assertEquals("restart pg-test (max_connections 250 -> 600): pg-test-1, pg-test-3, then switchover to pg-test-1"
                + " (pg-test-2 restarts as its replica)", restart.summary());
    }

    @Test
    void a_changed_unit_file_is_a_daemon_reload_and_restarts_nothing() throws IOException {
        Cluster c = new Cluster();
        HostPlan p = c.plan("10.10.10.12", converged(c), Masker.none());
        // the recorded facts have no patroni.service: it is written anew while Patroni runs
        assertInstanceOf(Change.Act.class, change(p, "file " + Paths.PATRONI_UNIT));
        Change.Act reload = assertInstanceOf(Change.Act.class, change(p, "daemon-reload"));
        assertEquals(List.of("systemctl daemon-reload"), reload.steps().stream().map(Step::shown).toList());
        assertTrue(p.changes().stream().filter(x -> x.task().equals("unit patroni.service")).allMatch(x -> x instanceof Change.NoOp),
                "Patroni is not restarted for its unit file");
    }

    @Test
    void a_cluster_not_running_yet_takes_its_config_from_bootstrap() throws IOException {
        Cluster c = new Cluster("pg_max_conn=600");
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        for (String h : PG_TEST) {
            fleet.put(h, facts(h, null, "pgsql/empty.txt", "pgsql/empty.txt", 2, c));
        }
        HostPlan p = c.plan("10.10.10.11", fleet, Masker.none());
        assertTrue(((Change.NoOp) change(p, PatroniConfig.NAME)).reason().contains("bootstrap.dcs"));
        assertTrue(((Change.NoOp) change(p, RollingRestart.NAME)).reason().startsWith("the cluster is not running yet"));
    }
}
