package dev.pig.core.exec;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a {@link Plan}: per host, one facts round trip for everything its tasks need, then each
 * task plans in order. An unreachable host, or a task that cannot plan, marks only that host.
 *
 * <pre>{@code
 * Map<SshTarget, List<Task>> work = Map.of(SshTarget.of("10.10.10.11"), List.of(
 *         new PackageTask("patroni", null, "pg_install"),
 *         FileTask.of("/etc/patroni/patroni.yml", rendered, "0600", "pg_conf"),
 *         new UnitTask("patroni.service", true, true, List.of("/etc/patroni/patroni.yml"), List.of(), "pg_launch")));
 * Plan plan = new Planner(pool, new FactGatherer(), Duration.ofMinutes(2), 20).plan(work, masker);
 * }</pre>
 */
public final class Planner {
    private final Connections pool;
    private final FactGatherer gatherer;
    private final Duration timeout;
    private final int forks;

    public Planner(Connections pool, FactGatherer gatherer, Duration timeout, int forks) {
        this.pool = pool;
        this.gatherer = gatherer;
        this.timeout = timeout;
        this.forks = forks;
    }

    /**
     * Gathers the facts of every host (one round trip each, in parallel), then plans each host
     * with the whole fleet's facts at hand. Hosts keep the order of {@code work}.
     */
    public Plan plan(Map<SshTarget, List<Task>> work, Masker masker) {
        Map<SshTarget, List<Task>> ordered = new LinkedHashMap<>(work);
        List<SshTarget> targets = new ArrayList<>(ordered.keySet());
        List<Object> gathered = Parallel.map(targets, forks, t -> gatherHost(t, ordered.get(t), masker));
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        for (Object g : gathered) {
            if (g instanceof HostFacts f) {
                fleet.put(f.host(), f);
            }
        }
        List<HostPlan> plans = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            SshTarget t = targets.get(i);
            Object g = gathered.get(i);
            if (g instanceof HostFacts f) {
                try {
                    plans.add(planFromFacts(f, ordered.get(t), masker, fleet));
                } catch (PigException e) {
                    plans.add(HostPlan.failed(t.host(), stripHost(t.host(), masker.mask(e.getMessage()))));
                }
            } else {
                plans.add((HostPlan) g);
            }
        }
        return Plan.of(plans);
    }

    /** The fact request covering every task of a host. */
    public static FactRequest request(List<Task> tasks) {
        FactRequest.Builder b = FactRequest.builder();
        tasks.forEach(t -> t.require(b));
        return b.build();
    }

    /** Plans tasks against facts already gathered; pure, for tests. */
    public static HostPlan planFromFacts(HostFacts facts, List<Task> tasks, Masker masker) {
        return planFromFacts(facts, tasks, masker, Map.of(facts.host(), facts));
    }

    /** Plans one host's tasks, with the facts of the other hosts of the run at hand. */
    public static HostPlan planFromFacts(HostFacts facts, List<Task> tasks, Masker masker, Map<String, HostFacts> fleet) {
        PlanContext ctx = new PlanContext(masker, fleet);
        List<Change> changes = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            changes.add(t.plan(facts, ctx));
            stages.add(t instanceof Staged s ? s.stage() : String.format("%05d", i));
        }
        return new HostPlan(facts.host(), facts.fingerprint(), facts.request(), changes, stages, null);
    }

    /** The host's facts, or a failed plan when they cannot be had. */
    private Object gatherHost(SshTarget target, List<Task> tasks, Masker masker) {
        try {
            Transport t = pool.get(target);
            return gatherer.gather(t, request(tasks), timeout);
        } catch (PigException e) {
            return HostPlan.failed(target.host(), stripHost(target.host(), masker.mask(e.getMessage())));
        }
    }

    static String stripHost(String host, String message) {
        return message.startsWith(host + ": ") ? message.substring(host.length() + 2) : message;
    }
}
