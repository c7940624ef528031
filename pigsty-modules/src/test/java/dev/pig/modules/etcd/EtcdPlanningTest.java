package dev.pig.modules.etcd;

import static dev.pig.modules.etcd.EtcdFixtures.FOUR;
import static dev.pig.modules.etcd.EtcdFixtures.TRIO;
import static dev.pig.modules.etcd.EtcdFixtures.change;
import static dev.pig.modules.etcd.EtcdFixtures.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Secret;
import dev.pig.core.model.Node;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Staged;
import dev.pig.modules.ModuleContext;

/**
 * ETCD planned against facts recorded on the sandbox: a cluster being created, the same cluster
 * converged, with a member down, with a fourth member joining and joined.
 */
class EtcdPlanningTest {
    private final EtcdFixtures f = new EtcdFixtures();
    private final ModuleContext trio = EtcdFixtures.ctx("trio.yml");
    private final ModuleContext four = EtcdFixtures.ctx("four.yml");

    @BeforeAll
    static void refresh_the_managed_files_when_asked() {
        if (Boolean.getBoolean("pig.fixtures.update")) {
            EtcdFixtures f = new EtcdFixtures();
            f.refresh("converged", "trio.yml", TRIO);
            f.refresh("one-down", "trio.yml", TRIO);
            f.refresh("joining", "trio.yml", TRIO);
            f.refresh("four", "four.yml", FOUR);
        }
    }

    private static String conf(HostPlan p) {
        Change.Act a = assertInstanceOf(Change.Act.class, change(p, "file " + EtcdModule.CONF));
        Step.Upload u = (Step.Upload) a.steps().stream().filter(s -> s instanceof Step.Upload).findFirst().orElseThrow();
        return new String(u.content(), StandardCharsets.UTF_8);
    }

    private static String reason(HostPlan p, String task) {
        return assertInstanceOf(Change.NoOp.class, change(p, task)).reason();
    }

    // ------------------------------------------------------------------ a new cluster

    @Test
    void a_new_cluster_bootstraps_with_state_new_and_its_members_start_together() {
        Map<String, HostPlan> plans = f.plans(trio, EtcdFixtures.outputs("new", TRIO));
        for (String h : TRIO) {
            HostPlan p = plans.get(h);
            assertTrue(conf(p).contains("initial-cluster-state: new\n"), h);
            assertTrue(reason(p, "command etcd member add " + name(h)).endsWith("no running cluster to join: the members start together"), h);
            assertEquals("unit etcd.service: enable, start", ((Change.Act) change(p, "unit etcd.service")).summary());
            assertEquals("30.05 etcd launch", stage(p, "unit etcd.service"), "every member starts in the same stage");
            assertTrue(reason(p, "restart etcd.service on " + name(h)).contains("not running"), h);
            assertInstanceOf(Change.Act.class, change(p, "command etcd health " + name(h)), "nothing answered yet: wait for it");
        }
    }

    // ------------------------------------------------------------------ converged

    @Test
    void a_converged_cluster_plans_nothing_and_says_every_member_answers() {
        Map<String, HostPlan> plans = f.plans(trio, EtcdFixtures.outputs("converged", TRIO));
        for (String h : TRIO) {
            HostPlan p = plans.get(h);
            assertEquals(List.of(), p.actions().stream().map(Change.Act::summary).toList(), h);
            assertEquals("etcd health " + name(h) + ": " + name(h) + " answers at http://" + h + ":2379; 3 of 3 members healthy",
                    reason(p, "command etcd health " + name(h)).replaceFirst("^command ", ""));
            assertTrue(reason(p, "command etcd member add " + name(h))
                    .endsWith("member " + name(h) + " has its data; it is part of the cluster (answering; 3 of 3 members healthy)"), h);
        }
    }

    @Test
    void the_recorded_health_and_member_list_parse() {
        HostFacts one = f.fleet(trio, EtcdFixtures.outputs("one-down", TRIO)).get("10.10.10.11");
        EtcdHealth.View h = one.extra(new EtcdHealth(List.of(), 2379, new Secret("")));
        assertEquals(Map.of("http://10.10.10.10:2379", true, "http://10.10.10.11:2379", true, "http://10.10.10.12:2379", false),
                h.endpoints());
        EtcdMembers.View m = one.extra(new EtcdMembers("etcdctl"));
        assertTrue(m.answered());
        assertEquals(List.of("etcd-1", "etcd-2", "etcd-3"), m.members().stream().map(EtcdMembers.Member::name).toList());
        assertTrue(m.members().stream().allMatch(EtcdMembers.Member::started), "a stopped member is still 'started' in the list");
        assertEquals("2 of 3 members healthy; unhealthy: http://10.10.10.12:2379", new EtcdHealth(List.of(), 2379, new Secret("")).summary(h));
        // on the stopped member: no member list, but it still probes the others
        HostFacts down = f.fleet(trio, EtcdFixtures.outputs("one-down", TRIO)).get("10.10.10.12");
        assertFalse(down.extra(new EtcdMembers("etcdctl")).answered());
        assertEquals(2, down.extra(new EtcdHealth(List.of(), 2379, new Secret(""))).healthyCount());
    }

    @Test
    void a_stopped_member_is_started_and_waited_for_and_the_others_are_left_alone() {
        Map<String, HostPlan> plans = f.plans(trio, EtcdFixtures.outputs("one-down", TRIO));
        List<Change.Act> acts = plans.get("10.10.10.12").actions();
        assertEquals(List.of("unit etcd.service", "command etcd health etcd-3"), acts.stream().map(Change.Act::task).toList());
        assertEquals("unit etcd.service: start", acts.get(0).summary());
        // root's credentials reach the waiting etcdctl on its stdin, never on its command line
        Step.Exec wait = (Step.Exec) acts.get(1).steps().get(0);
        assertTrue(wait.command().contains("for i in $(seq 60); do etcdctl_ endpoint health"), wait.command());
        assertFalse(wait.command().contains("Etcd.Root"), wait.command());
        assertEquals("root:Etcd.Root\n", wait.input());
        assertEquals(List.of(), plans.get("10.10.10.10").actions());
        assertEquals(List.of(), plans.get("10.10.10.11").actions());
    }

    // ------------------------------------------------------------------ a runtime setting changes

    @Test
    void a_changed_election_timeout_restarts_one_member_per_stage_in_etcd_seq_order() {
        ModuleContext slow = EtcdFixtures.ctx("trio.yml", "etcd_election_timeout=1500", "etcd_heartbeat_interval=150");
        Map<String, HostPlan> plans = f.plans(slow, EtcdFixtures.outputs("converged", TRIO));
        List<String> stages = new java.util.ArrayList<>();
        for (String h : TRIO) {
            HostPlan p = plans.get(h);
            assertEquals(List.of("file " + EtcdModule.CONF, "restart etcd.service on " + name(h)),
                    p.actions().stream().map(Change.Act::task).toList(), h);
            assertTrue(reason(p, "unit etcd.service").endsWith(name(h) + " restarts in its own stage, one member at a time (etcd: runtime settings changed)"));
            Change.Act restart = (Change.Act) change(p, "restart etcd.service on " + name(h));
            List<String> steps = restart.steps().stream().map(Step::shown).toList();
            assertTrue(steps.get(0).startsWith("IFS= read -r pig_etcd_user || exit 1; ok=0; for ep in "), steps.get(0));
            assertTrue(steps.get(0).contains("[ $ok -ge 2 ]"), steps.get(0));
            assertFalse(steps.get(0).contains("http://" + h + ":2379"), "a member does not count itself: " + steps.get(0));
            assertEquals("systemctl restart etcd.service", steps.get(1));
            assertTrue(steps.get(2).contains("for i in $(seq 60); do etcdctl_ endpoint health"), steps.get(2));
            assertTrue(restart.steps().stream().map(Step::shown).noneMatch(x -> x.contains("Etcd.Root")), "no password on a command line");
            stages.add(stage(p, "restart etcd.service on " + name(h)));
        }
        assertEquals(List.of("30.06 etcd restart 0001", "30.06 etcd restart 0002", "30.06 etcd restart 0003"), stages);
    }

    @Test
    void a_changed_unit_file_is_reloaded_in_the_restart_stage_not_the_launch_stage() {
        Map<String, String> out = EtcdFixtures.outputs("converged", TRIO);
        out.replaceAll((h, o) -> o.replaceAll("(?m)^(/etc/systemd/system/etcd.service\tfile\t644\troot\troot\t\\d+\t)[0-9a-f]+\t$",
                "$1" + "0".repeat(64) + "\t"));
        HostPlan p = f.plans(trio, out).get("10.10.10.11");
        Change.Act restart = (Change.Act) change(p, "restart etcd.service on etcd-2");
        assertEquals("systemctl daemon-reload", restart.steps().get(0).shown());
        assertInstanceOf(Change.NoOp.class, change(p, "unit etcd.service"));
    }

    // ------------------------------------------------------------------ a member joins

    @Test
    void a_joining_member_is_added_through_the_members_that_answer_and_starts_with_state_existing() {
        Map<String, HostPlan> plans = f.plans(four, EtcdFixtures.outputs("joining", FOUR));
        HostPlan p = plans.get("10.10.10.13");
        assertTrue(conf(p).contains("initial-cluster-state: existing\n"));
        Change.Act add = (Change.Act) change(p, "command etcd member add etcd-4");
        assertTrue(add.summary().contains("--endpoints=http://10.10.10.10:2379,http://10.10.10.11:2379,http://10.10.10.12:2379 "), add.summary());
        assertTrue(add.summary().endsWith("member add etcd-4 --peer-urls=http://10.10.10.13:2380"), add.summary());
        assertTrue(stage(p, "command etcd member add etcd-4").compareTo(stage(p, "unit etcd.service")) < 0, "announced before it starts");
    }

    @Test
    void the_running_members_get_the_new_member_list_without_a_restart() {
        Map<String, HostPlan> plans = f.plans(four, EtcdFixtures.outputs("joining", FOUR));
        for (String h : TRIO) {
            HostPlan p = plans.get(h);
            assertEquals(List.of("file " + EtcdModule.CONF), p.actions().stream().map(Change.Act::task).toList(), h);
            assertTrue(conf(p).contains(",etcd-4=http://10.10.10.13:2380\n"), h);
            assertTrue(conf(p).contains("initial-cluster-state: new\n"), "the state a member bootstrapped with stays: " + h);
            assertTrue(reason(p, "restart etcd.service on " + name(h)).contains("neither its unit file nor the settings"), h);
        }
    }

    @Test
    void a_member_the_cluster_already_lists_is_not_added_again() {
        // member add went through, but the new member has not started yet
        Map<String, String> out = EtcdFixtures.outputs("joining", FOUR);
        for (String h : TRIO) {
            out.put(h, out.get(h).replace("@@pig:section ext:etcd.members\n",
                    "@@pig:section ext:etcd.members\n8b25ee1b4aac1905, unstarted, , http://10.10.10.13:2380, , false\n"));
        }
        HostPlan p = f.plans(four, out).get("10.10.10.13");
        assertEquals("command etcd member add etcd-4: the cluster already lists http://10.10.10.13:2380, as 10.10.10.10 reports",
                reason(p, "command etcd member add etcd-4"));
        assertTrue(conf(p).contains("initial-cluster-state: existing\n"));
    }

    @Test
    void a_joined_cluster_of_four_plans_nothing() {
        Map<String, HostPlan> plans = f.plans(four, EtcdFixtures.outputs("four", FOUR));
        for (String h : FOUR) {
            assertEquals(List.of(), plans.get(h).actions().stream().map(Change.Act::summary).toList(), h);
        }
        assertTrue(reason(plans.get("10.10.10.13"), "command etcd health etcd-4").endsWith("4 of 4 members healthy"));
    }

    // ------------------------------------------------------------------ a member leaves

    private Map<String, HostFacts> liveness(ModuleContext ctx, Map<String, String> outputs) {
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        outputs.forEach((h, o) -> fleet.put(h, f.facts(ctx, h, o, List.of(f.etcd.memberRemove(ctx, node(ctx, h), List.of())))));
        return fleet;
    }

    private static Node node(ModuleContext ctx, String h) {
        return ctx.model().node(h).orElseThrow();
    }

    private HostPlan planRemoval(ModuleContext ctx, Map<String, HostFacts> fleet, String survivor, String... gone) {
        List<Node> removed = java.util.Arrays.stream(gone).map(g -> node(ctx, g)).toList();
        Staged task = f.etcd.memberRemove(ctx, node(ctx, survivor), removed);
        return Planner.planFromFacts(fleet.get(survivor), List.of(task), Masker.none(), fleet);
    }

    @Test
    void removing_a_healthy_member_while_another_is_down_is_refused_with_the_numbers() {
        Map<String, HostFacts> fleet = liveness(trio, EtcdFixtures.outputs("one-down", TRIO));
        List<Node> gone = List.of(node(trio, "10.10.10.11"));
        assertEquals("10.10.10.10", EtcdModule.survivor(trio, gone, fleet).orElseThrow().id());
        PigException e = assertThrows(PigException.class, () -> EtcdModule.removalCheck(trio, fleet.get("10.10.10.10"), gone));
        assertEquals(PigException.Kind.USAGE, e.kind());
        assertEquals("removing etcd-2 would break etcd's quorum: after removing etcd-2 (http://10.10.10.11:2379), 1 of the 2 remaining "
                + "member(s) would answer, and a majority of 2 is 2 (not answering: etcd-3 (http://10.10.10.12:2379)). "
                + "Bring those members back first, or remove them instead.", e.getMessage());
    }

    @Test
    void removing_the_member_that_is_down_is_planned_on_a_member_that_answers() {
        Map<String, HostFacts> fleet = liveness(trio, EtcdFixtures.outputs("one-down", TRIO));
        List<Node> gone = List.of(node(trio, "10.10.10.12"));
        assertEquals("2 of the 2 remaining member(s) answer; a majority of 2 is 2",
                EtcdModule.removalCheck(trio, fleet.get("10.10.10.10"), gone).numbers());
        HostPlan p = planRemoval(trio, fleet, "10.10.10.10", "10.10.10.12");
        Change.Act a = assertInstanceOf(Change.Act.class, change(p, "command etcd member remove etcd-3"));
        assertTrue(a.summary().endsWith("etcdctl_ member remove ecb1f684a0c61e53"), a.summary());
        assertEquals("30.01 etcd member remove", p.stages().get(0));
    }

    @Test
    void the_survivor_is_the_first_member_that_answers() {
        Map<String, HostFacts> fleet = liveness(trio, EtcdFixtures.outputs("one-down", TRIO));
        // 10.10.10.12 is down: removing 10.10.10.10 goes through 10.10.10.11, and is refused there
        List<Node> gone = List.of(node(trio, "10.10.10.10"));
        Node survivor = EtcdModule.survivor(trio, gone, fleet).orElseThrow();
        assertEquals("10.10.10.11", survivor.id());
        // with 10.10.10.10 unreachable too, there is still 10.10.10.11; without it, none
        fleet.remove("10.10.10.10");
        assertEquals("10.10.10.11", EtcdModule.survivor(trio, List.of(node(trio, "10.10.10.12")), fleet).orElseThrow().id());
        fleet.remove("10.10.10.11");
        assertTrue(EtcdModule.survivor(trio, List.of(node(trio, "10.10.10.10")), fleet).isEmpty(), "the stopped member cannot carry it");
    }

    @Test
    void removing_one_of_four_healthy_members_is_allowed_and_planned() {
        Map<String, HostFacts> fleet = liveness(four, EtcdFixtures.outputs("four", FOUR));
        List<Node> gone = List.of(node(four, "10.10.10.13"));
        assertEquals("10.10.10.10", EtcdModule.survivor(four, gone, fleet).orElseThrow().id());
        assertEquals("3 of the 3 remaining member(s) answer; a majority of 3 is 2",
                EtcdModule.removalCheck(four, fleet.get("10.10.10.10"), gone).numbers());
        HostPlan p = planRemoval(four, fleet, "10.10.10.10", "10.10.10.13");
        assertEquals(1, p.actions().size());
        assertTrue(p.actions().get(0).summary().contains(" member remove "), p.actions().get(0).summary());
    }

    @Test
    void a_member_already_gone_from_the_list_needs_no_removal() {
        Map<String, HostFacts> fleet = liveness(four, EtcdFixtures.outputs("joining", FOUR));
        HostPlan p = planRemoval(four, fleet, "10.10.10.10", "10.10.10.13");
        assertEquals("command etcd member remove etcd-4: the cluster does not list http://10.10.10.13:2380",
                reason(p, "command etcd member remove etcd-4"));
    }

    private static String name(String host) {
        return "etcd-" + (Integer.parseInt(host.substring(host.lastIndexOf('.') + 1)) - 9);
    }
}
