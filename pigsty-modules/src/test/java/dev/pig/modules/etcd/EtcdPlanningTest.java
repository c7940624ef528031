package dev.pig.modules.etcd;

import static dev.pig.modules.PlanningFixture.act;
import static dev.pig.modules.PlanningFixture.reason;
import static dev.pig.modules.etcd.EtcdFixtures.FOUR;
import static dev.pig.modules.etcd.EtcdFixtures.TRIO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.modules.Fixtures;
import dev.pig.modules.PlanningFixture;

/**
 * ETCD facts recorded on the sandbox, parsed, and a member's removal planned from them: which
 * member carries it, and when etcd's quorum refuses it. How a cluster is created, converges,
 * restarts and grows is in the cases of {@code src-test-fixtures/etcd/cases/}.
 */
class EtcdPlanningTest {

    @BeforeAll
    static void refresh_the_managed_files_when_asked() {
        if (Fixtures.update()) {
            EtcdFixtures.refresh("converged", "trio.yml", TRIO);
            EtcdFixtures.refresh("one-down", "trio.yml", TRIO);
            EtcdFixtures.refresh("joining", "trio.yml", TRIO);
            EtcdFixtures.refresh("four", "four.yml", FOUR);
        }
    }

    @Test
    void the_recorded_health_and_member_list_parse() {
        Map<String, HostFacts> fleet = EtcdFixtures.in(EtcdFixtures.fixture("trio.yml"), "one-down", TRIO).fleet();
        HostFacts one = fleet.get("10.10.10.11");
        EtcdHealth.View h = one.extra(new EtcdHealth(List.of(), 2379, new Secret(""), null));
        assertEquals(Map.of("http://10.10.10.10:2379", true, "http://10.10.10.11:2379", true, "http://10.10.10.12:2379", false),
                h.endpoints());
        EtcdMembers.View m = one.extra(new EtcdMembers("etcdctl"));
        assertTrue(m.answered());
        assertEquals(List.of("etcd-1", "etcd-2", "etcd-3"), m.members().stream().map(EtcdMembers.Member::name).toList());
        assertTrue(m.members().stream().allMatch(EtcdMembers.Member::started), "a stopped member is still 'started' in the list");
        assertEquals("2 of 3 members healthy; unhealthy: http://10.10.10.12:2379", new EtcdHealth(List.of(), 2379, new Secret(""), null).summary(h));
        // on the stopped member: no member list, but it still probes the others
        HostFacts down = fleet.get("10.10.10.12");
        assertFalse(down.extra(new EtcdMembers("etcdctl")).answered());
        assertEquals(2, down.extra(new EtcdHealth(List.of(), 2379, new Secret(""), null)).healthyCount());
    }

    // ------------------------------------------------------------------ a member leaves

    /** The members in {@code state}, each with the facts a member removal asks for. */
    private static PlanningFixture removal(String inventory, String state, List<String> hosts) {
        EtcdModule etcd = new EtcdModule();
        return EtcdFixtures.in(EtcdFixtures.fixture(inventory), state, hosts)
                .tasks((ctx, n) -> List.of(etcd.memberRemove(ctx, n, List.of())));
    }

    /** The members {@code gone}, checking that {@code survivor} is the member that carries their removal. */
    private static List<Node> carriedBy(PlanningFixture f, Map<String, HostFacts> fleet, String survivor, String... gone) {
        List<Node> removed = Arrays.stream(gone).map(f::node).toList();
        assertEquals(survivor, EtcdModule.survivor(f.ctx(), removed, fleet).orElseThrow().id());
        return removed;
    }

    /** The removal of {@code gone} planned on {@code survivor}. */
    private static HostPlan planRemoval(PlanningFixture f, Map<String, HostFacts> fleet, String survivor, String... gone) {
        List<Node> removed = Arrays.stream(gone).map(f::node).toList();
        return f.plan(survivor, List.of(new EtcdModule().memberRemove(f.ctx(), f.node(survivor), removed)), fleet);
    }

    @Test
    void removing_a_healthy_member_while_another_is_down_is_refused_with_the_numbers() {
        PlanningFixture f = removal("trio.yml", "one-down", TRIO);
        Map<String, HostFacts> fleet = f.fleet();
        List<Node> gone = carriedBy(f, fleet, "10.10.10.10", "10.10.10.11");
        PigException e = assertThrows(PigException.class, () -> EtcdModule.removalCheck(f.ctx(), fleet.get("10.10.10.10"), gone));
        assertEquals(PigException.Kind.USAGE, e.kind());
        assertEquals("removing etcd-2 would break etcd's quorum: after removing etcd-2 (http://10.10.10.11:2379), 1 of the 2 remaining "
                + "member(s) would answer, and a majority of 2 is 2 (not answering: etcd-3 (http://10.10.10.12:2379)). "
                + "Bring those members back first, or remove them instead.", e.getMessage());
    }

    @Test
    void removing_the_member_that_is_down_is_planned_on_a_member_that_answers() {
        PlanningFixture f = removal("trio.yml", "one-down", TRIO);
        Map<String, HostFacts> fleet = f.fleet();
        assertEquals("2 of the 2 remaining member(s) answer; a majority of 2 is 2",
                EtcdModule.removalCheck(f.ctx(), fleet.get("10.10.10.10"), List.of(f.node("10.10.10.12"))).numbers());
        HostPlan p = planRemoval(f, fleet, "10.10.10.10", "10.10.10.12");
        Change.Act a = act(p, "command etcd member remove etcd-3");
        assertTrue(a.summary().endsWith("etcdctl_ member remove ecb1f684a0c61e53"), a.summary());
        assertEquals("30.01 etcd member remove", p.stages().get(0));
    }

    @Test
    void the_survivor_is_the_first_member_that_answers() {
        PlanningFixture f = removal("trio.yml", "one-down", TRIO);
        Map<String, HostFacts> fleet = new LinkedHashMap<>(f.fleet());
        // 10.10.10.12 is down: removing 10.10.10.10 goes through 10.10.10.11, and is refused there
        carriedBy(f, fleet, "10.10.10.11", "10.10.10.10");
        // with 10.10.10.10 unreachable too, there is still 10.10.10.11; without it, none
        fleet.remove("10.10.10.10");
        carriedBy(f, fleet, "10.10.10.11", "10.10.10.12");
        fleet.remove("10.10.10.11");
        assertTrue(EtcdModule.survivor(f.ctx(), List.of(f.node("10.10.10.10")), fleet).isEmpty(), "the stopped member cannot carry it");
    }

    @Test
    void removing_one_of_four_healthy_members_is_allowed_and_planned() {
        PlanningFixture f = removal("four.yml", "four", FOUR);
        Map<String, HostFacts> fleet = f.fleet();
        List<Node> gone = carriedBy(f, fleet, "10.10.10.10", "10.10.10.13");
        assertEquals("3 of the 3 remaining member(s) answer; a majority of 3 is 2",
                EtcdModule.removalCheck(f.ctx(), fleet.get("10.10.10.10"), gone).numbers());
        HostPlan p = planRemoval(f, fleet, "10.10.10.10", "10.10.10.13");
        assertEquals(1, p.actions().size());
        assertTrue(p.actions().get(0).summary().contains(" member remove "), p.actions().get(0).summary());
    }

    @Test
    void a_member_already_gone_from_the_list_needs_no_removal() {
        PlanningFixture f = removal("four.yml", "joining", FOUR);
        HostPlan p = planRemoval(f, f.fleet(), "10.10.10.10", "10.10.10.13");
        assertEquals("command etcd member remove etcd-4: the cluster does not list http://10.10.10.13:2380",
                reason(p, "command etcd member remove etcd-4"));
    }
}
