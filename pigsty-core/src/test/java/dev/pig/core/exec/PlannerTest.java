package dev.pig.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.ConnectOptions;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.HostException;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;

/** Planning with facts a probe gathered first: one round trip per host where they suffice, the fleet at hand. */
class PlannerTest {
    private static final SshTarget A = SshTarget.of("10.10.10.11");
    private static final SshTarget B = SshTarget.of("10.10.10.12");
    private static final SshTarget C = SshTarget.of("10.10.10.13");

    private final Map<String, AtomicInteger> factRuns = new ConcurrentHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Connections pool = new Connections(ConnectOptions.defaults(), (t, o) -> {
        if (down.contains(t.host())) {
            throw new HostException(PigException.Kind.UNAVAILABLE, t.host(), "connection refused (port 22)");
        }
        return new Transport() {
            @Override
            public SshTarget target() {
                return t;
            }

            @Override
            public CommandResult run(String command, byte[] stdin, Duration timeout) {
                factRuns.computeIfAbsent(t.host(), h -> new AtomicInteger()).incrementAndGet();
                String out = FactParsers.SECTION + "hostname\nnode\n" + FactParsers.END + "\n";
                return new CommandResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
            }

            @Override
            public void upload(byte[] content, String path, String mode, String owner, String group, Duration timeout) {
            }

            @Override
            public int commandCount() {
                return factRuns.getOrDefault(t.host(), new AtomicInteger()).get();
            }

            @Override
            public void close() {
            }
        };
    });
    private final Planner planner = new Planner(pool, new FactGatherer(), Duration.ofSeconds(10), 4);

    /** Needs the state of a unit; plans a no-op naming the hosts whose facts it had at hand. */
    private static Task needingUnit(String unit) {
        return new Deferred("unit " + unit, "t", b -> b.units(unit),
                (facts, ctx) -> new Skip("unit " + unit, "t", "fleet " + new TreeSet<>(ctx.fleet().keySet())));
    }

    private int runs(SshTarget t) {
        return factRuns.getOrDefault(t.host(), new AtomicInteger()).get();
    }

    @Test
    void a_host_probed_for_everything_its_tasks_need_is_not_asked_again() {
        Gathered probed = planner.gather(Map.of(A, FactRequest.builder().units("etcd.service").build()), Masker.none());
        Plan p = planner.plan(Map.of(A, List.of(needingUnit("etcd.service"))), probed, Masker.none());
        assertNull(p.hosts().get(0).error());
        assertEquals(1, runs(A));
    }

    @Test
    void a_host_probed_for_less_than_its_tasks_need_is_asked_again() {
        Gathered probed = planner.gather(Map.of(A, FactRequest.empty()), Masker.none());
        Plan p = planner.plan(Map.of(A, List.of(needingUnit("etcd.service"))), probed, Masker.none());
        assertNull(p.hosts().get(0).error());
        assertEquals(2, runs(A));
        assertEquals(List.of("etcd.service"), p.hosts().get(0).request().units());
    }

    @Test
    void a_host_the_probe_could_not_reach_fails_with_its_reason_and_the_probed_fleet_is_at_hand() {
        down.add(B.host());
        Gathered probed = planner.gather(new java.util.LinkedHashMap<>(Map.of(A, FactRequest.empty(), B, FactRequest.empty(),
                C, FactRequest.empty())), Masker.none());
        assertEquals(Map.of(B.host(), "10.10.10.12: connection refused (port 22)"), probed.failures());
        Map<SshTarget, List<Task>> work = new java.util.LinkedHashMap<>();
        work.put(A, List.of(needingUnit("etcd.service")));
        work.put(B, List.of(needingUnit("etcd.service")));
        Plan p = planner.plan(work, probed, Masker.none());
        HostPlan a = p.hosts().get(0);
        assertEquals("fleet [10.10.10.11, 10.10.10.13]", ((Change.NoOp) a.changes().get(0)).reason(),
                "a task sees every host probed, in the work or not");
        assertEquals("connection refused (port 22)", p.hosts().get(1).error());
    }
}
