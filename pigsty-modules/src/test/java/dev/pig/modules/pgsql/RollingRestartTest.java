package dev.pig.modules.pgsql;

import static dev.pig.modules.PlanningFixture.act;
import static dev.pig.modules.PlanningFixture.change;
import static dev.pig.modules.PlanningFixture.commands;
import static dev.pig.modules.PlanningFixture.noop;
import static dev.pig.modules.PlanningFixture.reason;
import static dev.pig.modules.PlanningFixture.stage;
import static dev.pig.modules.pgsql.PgsqlFixtures.PG_TEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pig.core.model.Secret;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * How a running pg-test is changed, planned from recorded facts: the DCS config of a real cluster
 * ({@code GET /config}), its members ({@code GET /cluster}), the settings its PostgreSQL reads
 * only at start ({@code pg_settings}), and each member's patroni.yml as a deploy of the
 * inventory left it, on the sandbox's nodes (2 cpu, 24 GB). The patroni.yml on each host is
 * rendered by the test from the inventory that deployed it, so these plans stay in Java.
 */
class RollingRestartTest {
    static final String CONVERGED = "patroni-cluster-converged.json";
    static final String LIVE = "patroni-live-converged.out";

    /**
     * A pg-test member's facts: the fresh Debian node with {@code cpus}, Patroni running with
     * {@code patroniYml} (or none), and Patroni's answers {@code cluster} and {@code live} of
     * {@code src-test-fixtures/pgsql/}, with the {@code pg_settings} that go with the live DCS config.
     */
    static RecordedFacts facts(String host, String patroniYml, String cluster, String live, int cpus) {
        RecordedFacts f = PgsqlFixtures.patroni(host, cluster).section("cpu", cpus + "\n")
                .section("units", "@@unit patroni.service\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n"
                        + "ActiveEnterTimestampMonotonic=1000000\nMainPID=100\n")
                .extFixture(PatroniLive.nameOf("pg-test"), "pgsql/" + live);
        f = live.endsWith(".out") ? f.extFixture(PgCatalog.nameOf("pg-test"), "pgsql/" + live.replace("patroni-live-", "pg-settings-")
                .replace(".out", ".jsonl")) : f.ext(PgCatalog.nameOf("pg-test"), "");
        return patroniYml == null ? f : f.file(Paths.PATRONI_CONF, "600", "postgres", "postgres", patroniYml);
    }

    /** The patroni.yml the inventory of {@code deployed} gives {@code host} on a node of {@code cpus} and the fixture's memory. */
    static String patroniYml(PlanningFixture deployed, String host, int cpus) {
        PgNode pn = PgNode.of(deployed.ctx(), deployed.node(host));
        var f = deployed.host(host, facts(host, null, CONVERGED, LIVE, cpus)).facts(host);
        return deployed.ctx().render("pgsql/patroni.yml.ftl", PatroniYml.of(pn).tuned(f, pn.v()));
    }

    /** pg-test planned with {@code extraVars}, every member reporting the patroni.yml a deploy of the sandbox as it is left. */
    static PlanningFixture running(String cluster, String live, int cpus, String... extraVars) {
        PlanningFixture deployed = PgsqlFixtures.sandbox();
        return PgsqlFixtures.sandbox(extraVars).hosts(PG_TEST, h -> facts(h, patroniYml(deployed, h, cpus), cluster, live, cpus));
    }

    static PlanningFixture converged(String... extraVars) {
        return running(CONVERGED, LIVE, 2, extraVars);
    }

    /** What the plan does to Patroni's config and members (the facts say nothing true of the rest of the node). */
    static final List<String> PATRONI_TASKS = List.of("file " + Paths.PATRONI_CONF, "reload patroni", PatroniConfig.NAME,
            RollingRestart.NAME);

    static List<String> acts(HostPlan p) {
        return p.changes().stream().filter(c -> c instanceof Change.Act && PATRONI_TASKS.contains(c.task()))
                .map(c -> c.task().equals("file " + Paths.PATRONI_CONF) ? c.task() : ((Change.Act) c).summary()).toList();
    }

    @Test
    void a_converged_cluster_plans_nothing_and_says_why() {
        PlanningFixture c = converged();
        for (String h : PG_TEST) {
            assertEquals(List.of(), acts(c.plan(h)), h);
        }
        HostPlan leader = c.plan("10.10.10.11");
        assertEquals("the DCS config of pg-test matches the inventory", reason(leader, PatroniConfig.NAME));
        assertTrue(reason(leader, RollingRestart.NAME).startsWith("no member of pg-test needs a restart"));
        assertEquals("on the leader 10.10.10.11 only", reason(c.plan("10.10.10.12"), RollingRestart.NAME));
    }

    @Test
    void a_higher_max_connections_patches_the_dcs_and_restarts_replicas_then_switches_over() {
        PlanningFixture c = converged("pg_max_conn=600");
        HostPlan leader = c.masking(Masker.of(new Secret("Patroni.API"))).plan("10.10.10.11");
        Change.Act patch = act(leader, PatroniConfig.NAME);
        assertEquals("patroni config of pg-test: max_connections 250 -> 600", patch.summary());
        String cmd = ((Step.Exec) patch.steps().get(0)).command();
        assertTrue(cmd.contains("-X PATCH") && cmd.contains("'{\"postgresql\":{\"parameters\":{\"max_connections\":600}}}'")
                && cmd.contains("http://127.0.0.1:8008/config >/dev/null; do") && cmd.endsWith("sleep 2; done\n"), cmd);
        // patroni_username/password reach curl in a config file of the step's, from its stdin
        assertTrue(cmd.contains("-K \"$pig_auth\" -X PATCH"), cmd);
        assertFalse(cmd.contains("Patroni.API"), "no password on the command line: " + cmd);
        assertEquals("user = \"postgres:Patroni.API\"\n", ((Step.Exec) patch.steps().get(0)).input());
        assertFalse(patch.steps().get(0).shown().contains("Patroni.API"), "the password is masked in the plan");

        Change.Act restart = act(leader, RollingRestart.NAME);
        assertEquals("restart pg-test (max_connections 250 -> 600): pg-test-2, pg-test-3, then switchover to pg-test-2"
                + " (pg-test-1 restarts as its replica)", restart.summary());
        List<String> steps = commands(restart);
        assertEquals(3, steps.size());
        assertTrue(steps.get(0).contains("post 10.10.10.12 restart 600") && steps.get(0).contains("streams pg-test-2 10.10.10.11"), steps.get(0));
        assertTrue(steps.get(1).contains("post 10.10.10.13 restart 600") && steps.get(1).contains("streams pg-test-3 10.10.10.11"), steps.get(1));
        assertTrue(steps.get(2).contains("post 10.10.10.11 switchover 120 '{\"leader\":\"pg-test-1\",\"candidate\":\"pg-test-2\"}'")
                || steps.get(2).contains("post 10.10.10.11 switchover 120 '{\"candidate\":\"pg-test-2\",\"leader\":\"pg-test-1\"}'"), steps.get(2));
        assertTrue(steps.get(2).contains("streams pg-test-1 10.10.10.12"), "the old leader streams from the new one: " + steps.get(2));
        steps.forEach(PlanningFixture::assertValidShell);
        assertTrue(stage(leader, RollingRestart.NAME).compareTo(stage(leader, PatroniConfig.NAME)) > 0);
        assertTrue(stage(leader, RollingRestart.NAME).compareTo(stage(leader, "role test")) > 0,
                "the switchover comes after everything planned on the leader");
        for (String h : List.of("10.10.10.12", "10.10.10.13")) {
            // bootstrap.dcs of their patroni.yml says 600 too: the file is rewritten and reloaded, nothing else
            assertEquals(List.of("file /etc/patroni/patroni.yml", "reload patroni (/etc/patroni/patroni.yml changed)"),
                    acts(c.plan(h)), "only the leader drives the cluster");
        }
    }

    @Test
    void a_lower_max_connections_restarts_the_leader_in_place_first() {
        Change.Act restart = act(converged("pg_max_conn=100").plan("10.10.10.11"), RollingRestart.NAME);
        assertEquals("restart pg-test (max_connections 250 -> 100): pg-test-1 in place first (a lowered max_connections must reach"
                + " the primary before its replicas), pg-test-2, pg-test-3", restart.summary());
        assertFalse(commands(restart).stream().anyMatch(c -> c.contains("switchover")));
        assertTrue(commands(restart).get(0).contains("post 10.10.10.11 restart 600"));
    }

    @ParameterizedTest(name = "{0} changes the DCS config without a restart")
    @CsvSource(delimiter = '|', value = {
            "pg_rto=fast | patroni config of pg-test: ttl 24 -> 9, loop_wait 4 -> 1, retry_timeout 10 -> 4, primary_start_timeout 25 -> 10",
            "pg_rpo=0    | patroni config of pg-test: maximum_lag_on_failover 1048576 -> 0, synchronous_mode false -> true"})
    void pg_rto_and_pg_rpo_change_the_dcs_config_without_a_restart(String var, String summary) {
        HostPlan leader = converged(var).plan("10.10.10.11");
        assertEquals(summary, act(leader, PatroniConfig.NAME).summary());
        noop(leader, RollingRestart.NAME);
    }

    @Test
    void a_reloadable_setting_is_a_file_change_and_a_reload_only() {
        PlanningFixture c = converged("{pg_parameters: {work_mem: 32MB}}");
        for (String h : PG_TEST) {
            assertEquals(List.of("file /etc/patroni/patroni.yml", "reload patroni (/etc/patroni/patroni.yml changed)"), acts(c.plan(h)), h);
        }
        noop(c.plan("10.10.10.11"), RollingRestart.NAME);
    }

    @Test
    void a_restart_only_setting_of_patroni_yml_restarts_every_member_it_changes() {
        Change.Act restart = act(converged("{pg_parameters: {shared_buffers: 2GB}}").plan("10.10.10.11"), RollingRestart.NAME);
        assertEquals("restart pg-test (shared_buffers 6027MB -> 2GB on pg-test-1; shared_buffers 6027MB -> 2GB on pg-test-2;"
                + " shared_buffers 6027MB -> 2GB on pg-test-3): pg-test-2, pg-test-3, then switchover to pg-test-2 (pg-test-1 restarts as its replica)",
                restart.summary());
    }

    @Test
    void a_member_patroni_reports_pending_restart_is_restarted_alone() {
        Change.Act restart = act(running("patroni-cluster-pending.json", LIVE, 2).plan("10.10.10.11"), RollingRestart.NAME);
        assertEquals("restart pg-test (pending restart on pg-test-3): pg-test-3", restart.summary());
        assertEquals(1, restart.steps().size());
    }

    @Test
    void a_cluster_made_by_an_older_pig_gets_wal_keep_size_in_the_dcs_without_a_restart() {
        HostPlan leader = running(CONVERGED, "patroni-live-old-template.out", 2).plan("10.10.10.11");
        assertEquals("patroni config of pg-test: ttl 30 -> 24, loop_wait 5 -> 4, wal_keep_size (unset) -> 1GB",
                act(leader, PatroniConfig.NAME).summary());
        assertTrue(change(leader, RollingRestart.NAME) instanceof Change.NoOp, "wal_keep_size and the timing are reloadable");
    }

    @Test
    void max_worker_processes_follows_the_bootstrap_node_unless_pg_parameters_sets_it() {
        HostPlan leader = running(CONVERGED, LIVE, 16).plan("10.10.10.11");
        assertEquals("the DCS config of pg-test matches the inventory; max_worker_processes stays 10 (tuned 24 here): it follows"
                + " the CPUs of the node that created the cluster; set pg_parameters.max_worker_processes to change it",
                reason(leader, PatroniConfig.NAME));
        HostPlan p = running(CONVERGED, LIVE, 16, "{pg_parameters: {max_worker_processes: 24}}").plan("10.10.10.11");
        assertEquals("patroni config of pg-test: max_worker_processes 10 -> 24", act(p, PatroniConfig.NAME).summary());
    }

    @Test
    void a_paused_cluster_is_not_restarted() {
        HostPlan leader = running("patroni-cluster-paused.json", LIVE, 2, "pg_max_conn=600").plan("10.10.10.11");
        act(leader, PatroniConfig.NAME);
        assertTrue(reason(leader, RollingRestart.NAME).startsWith(
                "pg-test is paused (maintenance mode): pig does not restart or switch over a paused cluster"));
    }

    @Test
    void without_a_replica_to_switch_to_the_leader_restarts_in_place() {
        Change.Act restart = act(running("patroni-cluster-nofailover.json", LIVE, 2, "pg_max_conn=600").plan("10.10.10.11"),
                RollingRestart.NAME);
        assertEquals("restart pg-test (max_connections 250 -> 600): pg-test-2, pg-test-3, then pg-test-1 in place"
                + " (no healthy replica to switch over to)", restart.summary());
    }

    @Test
    void a_synchronous_cluster_switches_over_to_its_synchronous_standby() {
        Change.Act restart = act(running("patroni-cluster-sync.json", "patroni-live-sync.out", 2, "pg_max_conn=600", "pg_rpo=0")
                .plan("10.10.10.11"), RollingRestart.NAME);
        assertTrue(restart.summary().endsWith("then switchover to pg-test-3 (pg-test-1 restarts as its replica)"), restart.summary());
    }

    @Test
    void after_a_failover_the_new_leader_drives_the_restart() {
        PlanningFixture c = running("patroni-cluster.json", LIVE, 2, "pg_max_conn=600");
        assertEquals("on the leader 10.10.10.12 only", reason(c.plan("10.10.10.11"), RollingRestart.NAME));
        Change.Act restart = act(c.plan("10.10.10.12"), RollingRestart.NAME);
        assertEquals("restart pg-test (max_connections 250 -> 600): pg-test-1, pg-test-3, then switchover to pg-test-1"
                + " (pg-test-2 restarts as its replica)", restart.summary());
    }

    @Test
    void a_changed_unit_file_is_a_daemon_reload_and_restarts_nothing() {
        HostPlan p = converged().plan("10.10.10.12");
        // the recorded facts have no patroni.service: it is written anew while Patroni runs
        act(p, "file " + Paths.PATRONI_UNIT);
        assertEquals(List.of("systemctl daemon-reload"), act(p, "daemon-reload").steps().stream().map(Step::shown).toList());
        assertTrue(p.changes().stream().filter(x -> x.task().equals("unit patroni.service")).allMatch(x -> x instanceof Change.NoOp),
                "Patroni is not restarted for its unit file");
    }

    @Test
    void a_cluster_not_running_yet_takes_its_config_from_bootstrap() {
        HostPlan p = PgsqlFixtures.sandbox("pg_max_conn=600").hosts(PG_TEST, h -> facts(h, null, "empty.txt", "empty.txt", 2)).plan("10.10.10.11");
        assertTrue(reason(p, PatroniConfig.NAME).contains("bootstrap.dcs"));
        assertTrue(reason(p, RollingRestart.NAME).startsWith("the cluster is not running yet"));
    }
}
