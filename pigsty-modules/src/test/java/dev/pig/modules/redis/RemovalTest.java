package dev.pig.modules.redis;

import static dev.pig.modules.PlanningFixture.summaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.task.Task;
import dev.pig.modules.Fixtures;
import dev.pig.modules.Operation;
import dev.pig.modules.PlanningFixture;

/**
 * {@code pig redis rm}, planned from the facts recorded on the sandbox's stand-in: what the
 * cluster needs first, on a node that stays, and what is refused.
 */
class RemovalTest {
    private final PlanningFixture sandbox = PlanningFixture.of(new RedisModule(), "inventory-examples/sandbox.yml");

    private RedisCluster cluster(String name) {
        return sandbox.model().redis().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private List<RedisCluster.Instance> instances(RedisCluster c, String... addresses) {
        return c.instances().stream().filter(i -> List.of(addresses).contains(i.ip() + ":" + i.port()) || List.of(addresses).contains(i.ip()))
                .toList();
    }

    /** The removal of {@code gone} probed and planned against {@code state}: each host's plan. */
    private Map<String, HostPlan> plan(String state, RedisCluster c, List<RedisCluster.Instance> gone) {
        Operation op = RedisModule.removal(sandbox.ctx(), c, gone);
        FactGatherer g = new FactGatherer(new RedisModule().factSections(sandbox.ctx()));
        Map<String, HostFacts> probed = new LinkedHashMap<>();
        op.probe().forEach((n, req) -> probed.put(n.id(), g.parse(n.id(), req, Fixtures.read("redis/facts/" + state + "/" + n.id() + ".out"))));
        Operation.Work w = op.work(new Gathered(probed, Map.of()));
        Map<String, HostPlan> out = new LinkedHashMap<>();
        for (Map.Entry<Node, List<Task>> e : w.tasks().entrySet()) {
            String h = e.getKey().id();
            var req = Planner.request(e.getValue());
            // the guards of the removal's commands were not among the recorded checks: each fails, nothing is removed yet
            HostFacts f = g.parse(h, req, dev.pig.modules.RecordedFacts.of("redis/facts/" + state + "/" + h + ".out").checks(1).text(req));
            out.put(h, Planner.planFromFacts(f, e.getValue(), Masker.none(), probed));
        }
        out.values().forEach(p -> p.actions().forEach(a -> a.steps().forEach(s -> {
            if (s instanceof dev.pig.core.plan.Step.Exec x) {
                PlanningFixture.assertValidShell(x.command());
            }
        })));
        return out;
    }

    @Test
    void a_node_of_a_native_cluster_hands_its_master_to_a_replica_that_stays_and_is_forgotten() {
        RedisCluster test = cluster("redis-test");
        Map<String, HostPlan> p = plan("converged", test, instances(test, "10.10.10.13"));
        assertEquals(List.of("command hand over: 10.10.10.13:6379 fails over to its replica 10.10.10.12:6381; the cluster forgets"
                + " 10.10.10.13:6379, 10.10.10.13:6380, 10.10.10.13:6381"), summaries(p.get("10.10.10.12")));
        HostPlan gone = p.get("10.10.10.13");
        assertTrue(summaries(gone).contains("command stop redis-test-2-6379: systemctl disable --now redis@redis-test-2-6379.service"
                + " 2>/dev/null || systemctl stop redis@redis-test-2-6379.service"), summaries(gone).toString());
        // the node keeps nothing: data, files, the exporter, the template unit, pig's record
        for (String path : List.of("/data/redis/redis-test-2-6381", "/etc/redis/redis-test-2-6380.conf", "/var/log/redis/redis-test-2-6379.log",
                "/etc/default/prometheus-redis-exporter", "/var/lib/pig/redis/redis-test.auth", "/etc/systemd/system/redis@.service")) {
            assertTrue(summaries(gone).stream().anyMatch(s -> s.startsWith("command remove " + path + ":")), path + " " + summaries(gone));
        }
    }

    @Test
    void a_master_removed_with_its_only_replica_moves_its_slots_to_the_masters_that_stay() {
        RedisCluster test = cluster("redis-test");
        // in the recorded cluster 10.10.10.13:6380 replicates 10.10.10.12:6380
        Map<String, HostPlan> p = plan("converged", test, instances(test, "10.10.10.12:6380", "10.10.10.13:6380"));
        String handOver = summaries(p.get("10.10.10.12")).get(0);
        assertTrue(handOver.startsWith("command hand over: the 5461 slots of 10.10.10.12:6380 move to the masters that stay; the cluster"
                + " forgets "), handOver);
        assertTrue(p.get("10.10.10.12").actions().get(0).steps().get(0).shown().contains("--cluster rebalance 10.10.10.12:6379 --cluster-weight"),
                handOver);
    }

    @Test
    void a_native_cluster_left_without_a_master_is_refused() {
        RedisCluster test = cluster("redis-test");
        PigException e = assertThrows(PigException.class, () -> plan("converged", test,
                instances(test, "10.10.10.12:6379", "10.10.10.12:6380", "10.10.10.13:6379", "10.10.10.13:6380", "10.10.10.13:6381")));
        assertTrue(e.getMessage().startsWith("no master of redis-test would stay to take the slots of"), e.getMessage());
    }

    @Test
    void a_replica_goes_alone_and_a_master_only_with_its_replicas_as_the_instances_say_now() {
        RedisCluster ms = cluster("redis-ms");
        Map<String, HostPlan> replica = plan("converged", ms, instances(ms, "10.10.10.10:6380"));
        assertEquals(List.of("10.10.10.10"), List.copyOf(replica.keySet()));
        PigException master = assertThrows(PigException.class, () -> plan("converged", ms, instances(ms, "10.10.10.10:6379")));
        assertEquals("redis-ms-1-6379 is the master of redis-ms-1-6380 (as the instances say now), which stay: removing it would leave"
                + " them replicating from nothing. Remove the replicas first, or the whole cluster: pig redis rm redis-ms", master.getMessage());
        // after the failover the roles are the other way round
        PigException now = assertThrows(PigException.class, () -> plan("failed-over", ms, instances(ms, "10.10.10.10:6380")));
        assertTrue(now.getMessage().startsWith("redis-ms-1-6380 is the master of redis-ms-1-6379"), now.getMessage());
        assertEquals(List.of("10.10.10.10"), List.copyOf(plan("failed-over", ms, instances(ms, "10.10.10.10:6379")).keySet()));
    }

    @Test
    void sentinels_that_stay_are_reset_once_the_leaving_one_stopped_and_must_make_the_quorum() {
        RedisCluster meta = cluster("redis-meta");
        HostPlan p = plan("converged", meta, instances(meta, "10.10.10.11:26381")).get("10.10.10.11");
        assertEquals("60.05 redis reset sentinels", PlanningFixture.stage(p, "command reset redis-meta-1-26379"));
        assertEquals("60.03 redis stop", PlanningFixture.stage(p, "command stop redis-meta-1-26381"));
        PigException e = assertThrows(PigException.class, () -> plan("converged", meta, instances(meta, "10.10.10.11:26380", "10.10.10.11:26381")));
        assertTrue(e.getMessage().startsWith("the quorum of 'redis-ms' is 2 and 1 sentinel of redis-meta would stay"), e.getMessage());
    }

    @Test
    void the_whole_cluster_goes_without_asking_what_stays() {
        RedisCluster ms = cluster("redis-ms");
        HostPlan p = plan("converged", ms, ms.instances()).get("10.10.10.10");
        assertTrue(summaries(p).contains("command unmask redis-server.service: systemctl unmask redis-server.service &&"
                + " { systemctl disable redis-server.service 2>/dev/null || true; }"), summaries(p).toString());
    }
}
