package dev.pig.modules.pgsql;

import static dev.pig.modules.PlanningFixture.assertValidShell;
import static dev.pig.modules.PlanningFixture.commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.PlanContext;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * The day-2 verbs planned from what a cluster's members answer: Patroni's {@code GET /cluster},
 * {@code GET /config} and each member's own {@code GET /patroni}, recorded on the sandbox's pg-test
 * (and edited, one field each, for the states a healthy cluster does not show; see
 * {@code src-test-fixtures/pgsql/patroni-fixtures.md}). What is refused is refused before any plan,
 * with the reason; what is planned runs on the host the verb needs, credentials on stdin.
 */
class ClusterControlTest {
    static final String CONVERGED = "patroni-cluster-converged.json";
    static final String LIVE = "patroni-live-converged.out";
    static final String LEADER = "patroni-status-leader.json";
    static final String REPLICA = "patroni-status-replica.json";

    /**
     * What one member's host answers: the cluster and its config as its Patroni reports them, and
     * each member's own status as fetched from there, by IP ({@code status} gives the fixture of
     * each, null for a Patroni that does not answer).
     */
    static RecordedFacts member(String cluster, String host, String members, String live, Function<String, String> status,
                                List<String> ips) {
        StringBuilder st = new StringBuilder();
        for (String ip : ips) {
            st.append("@@member ").append(ip).append('\n');
            String f = status.apply(ip);
            if (f != null) {
                st.append(dev.pig.modules.Fixtures.read("pgsql/" + f).strip()).append('\n');
            }
        }
        return RecordedFacts.freshDebian12().extFixture(PatroniCluster.nameOf(cluster), "pgsql/" + members)
                .extFixture(PatroniLive.nameOf(cluster), "pgsql/" + live).ext(PatroniStatus.nameOf(cluster), st.toString());
    }

    /** pg-test as recorded: each member answering with {@code members} and {@code live}, and its status of {@code status}. */
    static Map<String, RecordedFacts> pgTest(String members, String live, Function<String, String> status) {
        Map<String, RecordedFacts> out = new LinkedHashMap<>();
        for (String h : PgsqlFixtures.PG_TEST) {
            out.put(h, member("pg-test", h, members, live, status, PgsqlFixtures.PG_TEST));
        }
        return out;
    }

    static Map<String, RecordedFacts> converged() {
        return pgTest(CONVERGED, LIVE, h -> h.equals("10.10.10.11") ? LEADER : REPLICA);
    }

    /** What the probe of {@code op} gathers from hosts answering with {@code answers}; the others are unreachable. */
    static Gathered probed(ModuleContext ctx, Operation op, Map<String, RecordedFacts> answers) {
        FactGatherer g = new FactGatherer(new PgsqlModule().factSections(ctx));
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (Map.Entry<Node, FactRequest> e : op.probe().entrySet()) {
            String h = e.getKey().id();
            if (answers.containsKey(h)) {
                facts.put(h, g.parse(h, e.getValue(), answers.get(h).text()));
            } else {
                failures.put(h, "connection timed out (port 22)");
            }
        }
        return new Gathered(facts, failures);
    }

    /** A verb's work, planned: each host's changes. */
    record Planned(Map<String, List<Change>> changes, List<String> notes) {
        Change.Act act(String host) {
            List<Change> c = changes.get(host);
            assertTrue(c != null && c.size() == 1 && c.get(0) instanceof Change.Act, host + ": " + changes);
            return (Change.Act) c.get(0);
        }

        Change.NoOp noop(String host) {
            List<Change> c = changes.get(host);
            assertTrue(c != null && c.size() == 1 && c.get(0) instanceof Change.NoOp, host + ": " + changes);
            return (Change.NoOp) c.get(0);
        }
    }

    static Planned plan(PlanningFixture f, Function<ModuleContext, Operation> verb, Map<String, RecordedFacts> answers) {
        Operation op = verb.apply(f.ctx());
        Gathered g = probed(f.ctx(), op, answers);
        Operation.Work w = op.work(g);
        PlanContext pctx = new PlanContext(Masker.of(new Secret("Patroni.API")), g.facts());
        Map<String, List<Change>> out = new LinkedHashMap<>();
        w.tasks().forEach((n, tasks) -> out.put(n.id(), tasks.stream().map(t -> t.plan(g.facts().get(n.id()), pctx)).toList()));
        out.values().stream().flatMap(List::stream).filter(c -> c instanceof Change.Act).forEach(c -> {
            for (Step s : ((Change.Act) c).steps()) {
                Step.Exec e = (Step.Exec) s;
                assertValidShell(e.command());
                assertFalse(e.command().contains("Patroni.API"), "no password on a command line: " + e.command());
                assertEquals("user = \"postgres:Patroni.API\"\n", e.input(), "Patroni's credentials on stdin");
            }
        });
        return new Planned(out, w.notes());
    }

    static final PlanningFixture SANDBOX = PgsqlFixtures.sandbox();

    static PgCluster pgTest(PlanningFixture f) {
        return f.model().pgCluster("pg-test").orElseThrow();
    }

    static PigException refused(PlanningFixture f, Function<ModuleContext, Operation> verb, Map<String, RecordedFacts> answers) {
        return assertThrows(PigException.class, () -> plan(f, verb, answers));
    }

    static Map<String, RecordedFacts> without(Map<String, RecordedFacts> answers, String host) {
        Map<String, RecordedFacts> out = new LinkedHashMap<>(answers);
        out.remove(host);
        return out;
    }

    // ------------------------------------------------------------------------------ switchover

    @Test
    void a_switchover_hands_the_lead_to_a_streaming_replica_from_the_leader_host() {
        Planned p = plan(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.empty()), converged());
        assertEquals(List.of("10.10.10.11"), List.copyOf(p.changes().keySet()));
        Change.Act a = p.act("10.10.10.11");
        assertEquals("switchover pg-test: pg-test-1 hands the lead to pg-test-2 (streaming, lag 0 B) and follows it as a replica", a.summary());
        String script = commands(a).get(0);
        assertTrue(script.contains("upto 60 streams pg-test-2 10.10.10.11 ||"), script);
        assertTrue(script.contains("post 10.10.10.11 switchover 120 "), script);
        assertTrue(script.contains("upto 300 streams pg-test-1 10.10.10.12 ||"), "the old leader follows the new one: " + script);
    }

    @Test
    void a_switchover_is_driven_from_another_member_when_pig_cannot_reach_the_leaders_host() {
        // the leader runs and answers its peers, but pig's SSH does not reach its host
        Planned p = plan(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.of("pg-test-3")),
                without(converged(), "10.10.10.11"));
        assertEquals(List.of("10.10.10.12"), List.copyOf(p.changes().keySet()));
        assertTrue(commands(p.act("10.10.10.12")).get(0).contains("post 10.10.10.11 switchover 120 "));
    }

    @Test
    void a_switchover_to_a_member_that_does_not_stream_is_refused_with_the_reason() {
        Map<String, RecordedFacts> answers = pgTest(CONVERGED, LIVE, h -> h.equals("10.10.10.11") ? "patroni-status-leader-one-sender.json"
                : REPLICA);
        PigException e = refused(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.of("pg-test-3")), answers);
        assertEquals(PigException.Kind.FAILED, e.kind());
        assertEquals("no switchover to pg-test-3: pg-test-3 does not stream from pg-test-1 (no streaming walsender there feeds it):"
                + " handing it the lead could lose what it has not received.", e.getMessage());
        // left to choose, pig picks the one that streams
        Planned p = plan(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.empty()), answers);
        assertTrue(p.act("10.10.10.11").summary().contains("to pg-test-2 (streaming"), p.act("10.10.10.11").summary());
    }

    @Test
    void a_cascading_replica_is_checked_against_the_member_it_streams_from() {
        Map<String, RecordedFacts> answers = pgTest("patroni-cluster-cascade.json", LIVE, h -> switch (h) {
            case "10.10.10.11" -> "patroni-status-leader-one-sender.json";
            case "10.10.10.12" -> "patroni-status-replica-cascading.json";
            default -> REPLICA;
        });
        Planned p = plan(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.of("10.10.10.13")), answers);
        String script = commands(p.act("10.10.10.11")).get(0);
        assertTrue(script.contains("upto 60 streams pg-test-3 10.10.10.12 ||"), script);
    }

    @Test
    void a_switchover_without_a_running_leader_is_refused_and_points_to_failover() {
        PigException e = refused(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.empty()),
                without(pgTest("patroni-cluster-leaderless.json", LIVE, h -> REPLICA), "10.10.10.11"));
        assertEquals("no member of pg-test leads: a switchover hands the lead over from a running leader; with none, use"
                + " 'pig pgsql failover pg-test'", e.getMessage());
    }

    @Test
    void a_member_that_is_not_in_the_cluster_is_a_usage_error_naming_the_members() {
        PigException e = refused(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.of("pg-test-9")), converged());
        assertEquals(PigException.Kind.USAGE, e.kind());
        assertEquals("pg-test-9 is not a member of pg-test as Patroni reports it; its members are pg-test-1, pg-test-2, pg-test-3",
                e.getMessage());
    }

    @Test
    void in_a_synchronous_cluster_only_the_synchronous_standby_takes_the_lead() {
        Map<String, RecordedFacts> answers = pgTest("patroni-cluster-sync.json", "patroni-live-sync.out",
                h -> h.equals("10.10.10.11") ? LEADER : REPLICA);
        PigException e = refused(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.of("pg-test-2")), answers);
        assertEquals("no switchover to pg-test-2: pg-test-2 is not the synchronous standby of pg-test (synchronous_mode, pg_rpo: 0):"
                + " only pg-test-3, the synchronous standby, is known to hold every acknowledged commit.", e.getMessage());
        Planned p = plan(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.empty()), answers);
        assertTrue(p.act("10.10.10.11").summary().contains("to pg-test-3 (synchronous standby, lag 0 B)"), p.act("10.10.10.11").summary());
    }

    @Test
    void a_delayed_or_offline_member_never_takes_the_lead() {
        Map<String, RecordedFacts> answers = pgTest("patroni-cluster-nofailover.json", LIVE, h -> h.equals("10.10.10.11") ? LEADER : REPLICA);
        PigException e = refused(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.empty()), answers);
        assertEquals("no member of pg-test can take the lead: pg-test-2 is tagged nofailover: a delayed or offline instance never leads;"
                + " pg-test-3 is tagged nofailover: a delayed or offline instance never leads.", e.getMessage());
    }

    // ------------------------------------------------------------------------------ failover

    @Test
    void a_failover_while_the_leader_runs_is_refused() {
        PigException e = refused(SANDBOX, ctx -> ClusterControl.failover(ctx, pgTest(SANDBOX), Optional.empty()), converged());
        assertEquals("pg-test-1 leads pg-test and runs: a failover is for a cluster without a healthy leader; use"
                + " 'pig pgsql switchover pg-test'", e.getMessage());
    }

    static Map<String, RecordedFacts> leaderless() {
        return without(pgTest("patroni-cluster-leaderless.json", LIVE, h -> REPLICA), "10.10.10.11");
    }

    @Test
    void a_failover_promotes_the_replica_least_behind_on_its_own_host() {
        Planned p = plan(SANDBOX, ctx -> ClusterControl.failover(ctx, pgTest(SANDBOX), Optional.empty()), leaderless());
        assertEquals(List.of("10.10.10.12"), List.copyOf(p.changes().keySet()));
        Change.Act a = p.act("10.10.10.12");
        assertEquals("failover pg-test: promote pg-test-2 (running, lag 0 B); no member of pg-test leads", a.summary());
        String script = commands(a).get(0);
        assertTrue(script.contains("post 127.0.0.1 failover 120 '{\"candidate\":\"pg-test-2\"}'"), script);
        assertTrue(script.contains("upto 120 leads 127.0.0.1 ||"), script);
    }

    @Test
    void a_failover_to_a_replica_lagging_past_pg_rpo_is_refused_naming_the_loss() {
        PigException e = refused(SANDBOX, ctx -> ClusterControl.failover(ctx, pgTest(SANDBOX), Optional.of("pg-test-3")), leaderless());
        assertEquals("no failover to pg-test-3: pg-test-3 lags 5.0 MB behind the last position the leader reported, past pg_rpo (1.0 MB):"
                + " promoting it would lose the commits it never received; bring the leader back, or accept the loss with"
                + " -e pg_rpo=5242880.", e.getMessage());
        // the override the message names
        PlanningFixture accepting = PgsqlFixtures.sandbox("pg_rpo=5242880");
        Planned p = plan(accepting, ctx -> ClusterControl.failover(ctx, pgTest(accepting), Optional.of("pg-test-3")), leaderless());
        assertTrue(p.act("10.10.10.13").summary().startsWith("failover pg-test: promote pg-test-3 (running, lag 5.0 MB)"));
    }

    @Test
    void with_no_fit_replica_the_failover_is_refused_naming_each_reason() {
        PigException e = refused(SANDBOX, ctx -> ClusterControl.failover(ctx, pgTest(SANDBOX), Optional.empty()),
                without(leaderless(), "10.10.10.12"));
        assertEquals("no member of pg-test can take the lead: pg-test-2's host 10.10.10.12 cannot be reached, and pig promotes it there"
                + " (connection timed out (port 22)); pg-test-3 lags 5.0 MB behind the last position the leader reported, past pg_rpo"
                + " (1.0 MB): promoting it would lose the commits it never received; bring the leader back, or accept the loss with"
                + " -e pg_rpo=5242880.", e.getMessage());
    }

    // ------------------------------------------------------------------------------ restart, reinit

    @Test
    void a_restart_goes_through_the_replicas_then_the_leader_in_place() {
        Planned p = plan(SANDBOX, ctx -> ClusterControl.restart(ctx, pgTest(SANDBOX), Optional.empty()), converged());
        Change.Act a = p.act("10.10.10.11");
        assertEquals("restart pg-test: pg-test-2, then pg-test-3, then pg-test-1 (the leader, in place: writes pause while it restarts)",
                a.summary());
        List<String> steps = commands(a);
        assertEquals(3, steps.size());
        assertTrue(steps.get(0).contains("post 10.10.10.12 restart 600") && steps.get(0).contains("upto 300 streams pg-test-2 10.10.10.11"));
        assertTrue(steps.get(1).contains("post 10.10.10.13 restart 600") && steps.get(1).contains("upto 300 streams pg-test-3 10.10.10.11"));
        assertTrue(steps.get(2).contains("post 10.10.10.11 restart 600") && steps.get(2).contains("upto 120 leads 10.10.10.11"));
        assertFalse(steps.get(0).contains("upto 30 pending"), "a restart asked for is made whether or not one is pending");
    }

    @Test
    void a_restart_of_one_member_restarts_it_alone() {
        Planned p = plan(SANDBOX, ctx -> ClusterControl.restart(ctx, pgTest(SANDBOX), Optional.of("10.10.10.13")), converged());
        assertEquals("restart pg-test: pg-test-3", p.act("10.10.10.11").summary());
        assertEquals(1, commands(p.act("10.10.10.11")).size());
    }

    @Test
    void a_member_whose_patroni_is_not_in_the_dcs_is_left_out_of_a_restart_with_a_note() {
        Planned p = plan(SANDBOX, ctx -> ClusterControl.restart(ctx, pgTest(SANDBOX), Optional.empty()),
                pgTest("patroni-cluster-leaderless.json", "patroni-live-converged.out", h -> REPLICA).entrySet().stream()
                        .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue().replace("\"role\": \"replica\", \"state\": \"running\","
                                + " \"api_url\": \"http://10.10.10.12", "\"role\": \"leader\", \"state\": \"running\", \"api_url\": \"http://10.10.10.12")),
                                Map::putAll));
        assertEquals(List.of("pg-test-1 is not in the DCS (its Patroni does not run): not restarted"), p.notes());
        assertEquals("restart pg-test: pg-test-3, then pg-test-2 (the leader, in place: writes pause while it restarts)",
                p.act("10.10.10.12").summary());
    }

    @Test
    void reinit_clones_a_replica_again_and_refuses_the_leader() {
        PgCluster c = pgTest(SANDBOX);
        Planned p = plan(SANDBOX, ctx -> ClusterControl.reinit(ctx, c, c.instance("10.10.10.12").orElseThrow()), converged());
        Change.Act a = p.act("10.10.10.11");
        assertEquals("reinit pg-test-2: its data directory is removed and cloned again from pg-test-1", a.summary());
        assertTrue(commands(a).get(0).contains("post 10.10.10.12 reinitialize 60 '{\"force\": true}'"), commands(a).get(0));
        PigException e = refused(SANDBOX, ctx -> ClusterControl.reinit(ctx, c, c.instance("10.10.10.11").orElseThrow()), converged());
        assertTrue(e.getMessage().startsWith("pg-test-1 leads pg-test: reinit rebuilds a replica from its leader"), e.getMessage());
    }

    // ------------------------------------------------------------------------------ pause, reload, promote

    @Test
    void pause_patches_the_config_through_the_leader_and_is_a_noop_when_already_paused() {
        Planned p = plan(SANDBOX, ctx -> ClusterControl.pause(ctx, pgTest(SANDBOX), true), converged());
        String script = commands(p.act("10.10.10.11")).get(0);
        assertTrue(script.contains("-X PATCH -H 'Content-Type: application/json' -d '{\"pause\":true}' http://127.0.0.1:8008/config"), script);
        assertTrue(script.contains("upto 60 paused 127.0.0.1 true ||"), script);
        Map<String, RecordedFacts> paused = pgTest("patroni-cluster-paused.json", LIVE, h -> h.equals("10.10.10.11") ? LEADER : REPLICA);
        assertEquals("pg-test is already paused", plan(SANDBOX, ctx -> ClusterControl.pause(ctx, pgTest(SANDBOX), true), paused)
                .noop("10.10.10.11").reason());
        assertTrue(commands(plan(SANDBOX, ctx -> ClusterControl.pause(ctx, pgTest(SANDBOX), false), paused).act("10.10.10.11")).get(0)
                .contains("'{\"pause\":false}'"));
        assertEquals("pg-test is not paused", plan(SANDBOX, ctx -> ClusterControl.pause(ctx, pgTest(SANDBOX), false), converged())
                .noop("10.10.10.11").reason());
    }

    @Test
    void reload_runs_on_each_member_and_refuses_one_whose_patroni_does_not_answer() {
        Planned p = plan(SANDBOX, ctx -> ClusterControl.reload(ctx, pgTest(SANDBOX), Optional.empty()), converged());
        assertEquals(PgsqlFixtures.PG_TEST, List.copyOf(p.changes().keySet()));
        assertTrue(commands(p.act("10.10.10.13")).get(0).contains("post 127.0.0.1 reload 30 '{}'"));
        Map<String, RecordedFacts> down = pgTest(CONVERGED, LIVE, h -> switch (h) {
            case "10.10.10.11" -> LEADER;
            case "10.10.10.12" -> REPLICA;
            default -> null;
        });
        PigException e = refused(SANDBOX, ctx -> ClusterControl.reload(ctx, pgTest(SANDBOX), Optional.empty()), down);
        assertEquals("Patroni on pg-test-3 (10.10.10.13) does not answer: nothing to reload there", e.getMessage());
    }

    static final PlanningFixture REPLICATION = PlanningFixture.of(new PgsqlModule(), "src-test-fixtures/pgsql/inventory/replication.yml");

    static Map<String, RecordedFacts> standby(String live) {
        Map<String, RecordedFacts> out = new LinkedHashMap<>();
        List<String> ips = List.of("10.10.10.21", "10.10.10.22");
        Function<String, String> status = h -> h.equals("10.10.10.21") ? LEADER : REPLICA;
        out.put("10.10.10.21", member("pg-standby", "10.10.10.21", "patroni-cluster-standby.json", live, status, ips));
        out.put("10.10.10.22", member("pg-standby", "10.10.10.22", "patroni-cluster-standby.json", live, status, ips));
        return out;
    }

    @Test
    void promote_makes_a_standby_cluster_primary_through_its_leader_and_is_a_noop_on_a_primary_cluster() {
        PgCluster c = REPLICATION.model().pgCluster("pg-standby").orElseThrow();
        Planned p = plan(REPLICATION, ctx -> ClusterControl.promote(ctx, c), standby("patroni-live-standby.out"));
        Change.Act a = p.act("10.10.10.21");
        assertEquals("promote pg-standby: it stops following 10.10.10.11 and pg-standby-1 leads it as a primary cluster, on a new timeline",
                a.summary());
        String script = commands(a).get(0);
        assertTrue(script.contains("-d '{\"standby_cluster\":null}' http://127.0.0.1:8008/config >/dev/null || exit 1"), script);
        assertTrue(script.contains("upto 120 primary 10.10.10.21 ||"), script);
        assertEquals("pg-standby is a primary cluster: it has no upstream to stop following",
                plan(REPLICATION, ctx -> ClusterControl.promote(ctx, c), standby(LIVE)).noop("10.10.10.21").reason());
    }

    @Test
    void a_cluster_none_of_whose_members_answers_is_unavailable_naming_each() {
        Map<String, RecordedFacts> answers = new LinkedHashMap<>();
        answers.put("10.10.10.12", RecordedFacts.freshDebian12().ext(PatroniCluster.nameOf("pg-test"), "")
                .ext(PatroniLive.nameOf("pg-test"), "").ext(PatroniStatus.nameOf("pg-test"), ""));
        PigException e = refused(SANDBOX, ctx -> ClusterControl.switchover(ctx, pgTest(SANDBOX), Optional.empty()), answers);
        assertEquals(PigException.Kind.UNAVAILABLE, e.kind());
        assertEquals("no member of pg-test answers for the cluster: pg-test-1 (10.10.10.11): unreachable: connection timed out (port 22);"
                + " pg-test-2 (10.10.10.12): its Patroni does not answer; pg-test-3 (10.10.10.13): unreachable: connection timed out"
                + " (port 22). Start Patroni on a member first.", e.getMessage());
    }

    @Test
    void every_member_is_asked_in_one_round_trip_who_leads_the_config_and_its_own_status() {
        Operation op = ClusterControl.restart(SANDBOX.ctx(), pgTest(SANDBOX), Optional.empty());
        assertEquals(PgsqlFixtures.PG_TEST, op.probe().keySet().stream().map(Node::id).toList());
        FactRequest r = op.probe().values().iterator().next();
        assertEquals(java.util.Set.of(PatroniCluster.nameOf("pg-test"), PatroniLive.nameOf("pg-test"), PatroniStatus.nameOf("pg-test")),
                java.util.Set.copyOf(r.sections()));
    }

    @Test
    void the_status_section_reads_each_members_walsenders_by_address() {
        PatroniStatus section = new PatroniStatus("pg-test", TestPg.PATRONI, PgsqlFixtures.PG_TEST);
        assertTrue(section.script().startsWith("for h in 10.10.10.11 10.10.10.12 10.10.10.13; do printf '@@member %s\\n' \"$h\";"
                + " { curl -sf -m 2 \"http://$h:8008/patroni\" 2>/dev/null || curl --cacert /pg/cert/ca.crt --cert /pg/cert/server.crt"
                + " --key /pg/cert/server.key -sf -m 2 \"https://$h:8008/patroni\" 2>/dev/null; }"), section.script());
        PatroniStatus.View v = section.parse("@@member 10.10.10.11\n" + dev.pig.modules.Fixtures.read("pgsql/" + LEADER).strip()
                + "\n@@member 10.10.10.12\n\n");
        PatroniStatus.Status leader = v.of("10.10.10.11");
        assertTrue(leader.answered() && leader.role().equals("master") && leader.state().equals("running"));
        assertTrue(leader.feeding("pg-test-3").orElseThrow().streaming());
        assertTrue(leader.feeding("pg-test-9").isEmpty());
        assertFalse(v.of("10.10.10.12").answered(), "a Patroni that did not answer");
        assertFalse(v.of("10.10.10.13").answered(), "a member not asked");
    }

    @Test
    void bytes_read_as_people_read_them() {
        assertEquals("0 B", ClusterControl.bytes(0));
        assertEquals("1.0 MB", ClusterControl.bytes(1048576));
        assertEquals("512 kB", ClusterControl.bytes(524288));
        assertEquals("16 GB", ClusterControl.bytes(16L << 30));
    }
}
