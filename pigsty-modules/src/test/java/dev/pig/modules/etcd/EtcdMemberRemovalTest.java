package dev.pig.modules.etcd;

import static dev.pig.modules.etcd.EtcdFixtures.TRIO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.task.Task;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;

/**
 * {@code pig etcd rm} as an operation: what it asks each host first, and the work it chooses from
 * the answers recorded on the sandbox with one member down.
 */
class EtcdMemberRemovalTest {
    private final EtcdModule etcd = new EtcdModule();
    private final ModuleContext trio = EtcdFixtures.fixture("trio.yml").ctx();

    private Node node(String h) {
        return trio.model().node(h).orElseThrow();
    }

    /** What the hosts of {@code answering} say to the probe, as recorded in {@code state}; the others are unreachable. */
    private Gathered probed(Operation op, String state, List<String> answering) {
        FactGatherer g = new FactGatherer(etcd.factSections(trio));
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (Map.Entry<Node, FactRequest> e : op.probe().entrySet()) {
            String h = e.getKey().id();
            if (answering.contains(h)) {
                facts.put(h, g.parse(h, e.getValue(), EtcdFixtures.recorded(state, h).text()));
            } else {
                failures.put(h, h + ": connection refused (port 22)");
            }
        }
        return new Gathered(facts, failures);
    }

    @Test
    void the_removed_member_is_asked_in_the_same_round_trip_what_its_cleanup_needs() {
        Operation op = etcd.memberRemoval(trio, List.of(node("10.10.10.12")));
        Map<Node, FactRequest> probe = op.probe();
        assertEquals(TRIO, probe.keySet().stream().map(Node::id).toList());
        FactRequest gone = probe.get(node("10.10.10.12"));
        assertTrue(gone.sections().containsAll(EtcdModule.livenessRequest().sections()), gone.toString());
        FactRequest.Builder cleanup = FactRequest.builder();
        etcd.removal(trio, node("10.10.10.12")).forEach(t -> t.require(cleanup));
        assertEquals(gone, gone.toBuilder().merge(cleanup.build()).build(), "the probe holds what the cleanup needs");
    }

    @Test
    void the_work_goes_through_the_first_member_that_answers_then_cleans_the_removed_one() {
        Operation op = etcd.memberRemoval(trio, List.of(node("10.10.10.12")));
        Operation.Work w = op.work(probed(op, "one-down", TRIO));
        assertEquals(List.of("10.10.10.10", "10.10.10.12"), w.tasks().keySet().stream().map(Node::id).toList());
        assertEquals(List.of("command etcd member remove etcd-3"), w.tasks().get(node("10.10.10.10")).stream().map(Task::name).toList());
        assertEquals(List.of("Removing through 10.10.10.10: 2 of the 2 remaining member(s) answer; a majority of 2 is 2."), w.notes());
    }

    @Test
    void with_no_remaining_member_reachable_it_is_refused_naming_each_and_why() {
        Operation op = etcd.memberRemoval(trio, List.of(node("10.10.10.12")));
        PigException e = assertThrows(PigException.class, () -> op.work(probed(op, "one-down", List.of("10.10.10.12"))));
        assertEquals(PigException.Kind.UNAVAILABLE, e.kind());
        assertEquals("no remaining etcd member answers, so the cluster has no quorum to remove a member with: "
                + "10.10.10.10 unreachable (10.10.10.10: connection refused (port 22)); "
                + "10.10.10.11 unreachable (10.10.10.11: connection refused (port 22)). Bring members back first.", e.getMessage());
    }

    @Test
    void removing_every_member_is_refused_before_any_host_is_asked() {
        PigException e = assertThrows(PigException.class,
                () -> etcd.memberRemoval(trio, TRIO.stream().map(this::node).toList()));
        assertEquals(PigException.Kind.USAGE, e.kind());
    }
}
