package dev.pig.core.exec;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Plan}: step i of every host runs in parallel (at most {@code forks} at once),
 * then step i+1. A host that fails stops there; the others finish. Only what the plan shows runs.
 *
 * <pre>{@code
 * ApplyResult r = new Executor(pool, new FactGatherer(), 20, Duration.ofMinutes(10), masker, listener)
 *         .apply(plan, targets, true);
 * r.failures().forEach(f -> err.println(f));
 * }</pre>
 */
public final class Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
    /** Ansible's default; enough parallelism for a rack without flooding one bastion. */
    public static final int DEFAULT_FORKS = 20;

    private final Connections pool;
    private final FactGatherer gatherer;
    private final int forks;
    private final Duration stepTimeout;
    private final Masker masker;
    private final ProgressListener listener;

    public Executor(Connections pool, FactGatherer gatherer, int forks, Duration stepTimeout, Masker masker,
                    ProgressListener listener) {
        this.pool = pool;
        this.gatherer = gatherer;
        this.forks = forks;
        this.stepTimeout = stepTimeout;
        this.masker = masker;
        this.listener = listener;
    }

    /**
     * @param targets     how to reach each host of the plan, by host name
     * @param checkFresh  re-gather facts first and refuse hosts whose fingerprint changed; use it for
     *                    a saved plan, skip it right after planning in the same run
     */
    public ApplyResult apply(Plan plan, Map<String, SshTarget> targets, boolean checkFresh) {
        List<HostFailure> failures = new ArrayList<>();
        List<HostPlan> live = new ArrayList<>();
        for (HostPlan h : plan.hosts()) {
            if (h.error() != null) {
                fail(failures, new HostFailure(h.host(), "plan", h.error()));
            } else if (!targets.containsKey(h.host())) {
                fail(failures, new HostFailure(h.host(), "plan", "host is not in the inventory"));
            } else if (!h.actions().isEmpty()) {
                live.add(h);
            }
        }
        if (checkFresh) {
            List<HostFailure> stale = Parallel.map(live, forks, h -> freshness(h, targets.get(h.host())));
            for (int i = live.size() - 1; i >= 0; i--) {
                if (stale.get(i) != null) {
                    fail(failures, stale.get(i));
                    live.remove(i);
                }
            }
        }
        Map<String, Integer> changed = new LinkedHashMap<>();
        live.forEach(h -> changed.put(h.host(), 0));
        int total = live.stream().mapToInt(h -> h.changes().size()).max().orElse(0);
        for (int i = 0; i < total; i++) {
            int index = i;
            List<HostPlan> now = live.stream().filter(h -> index < h.changes().size()).toList();
            if (now.isEmpty()) {
                continue;
            }
            String label = now.get(0).changes().get(i).task();
            List<HostFailure> results = Parallel.map(now, forks, h -> runChange(h.host(), targets.get(h.host()), h.changes().get(index)));
            int ok = 0;
            int did = 0;
            int bad = 0;
            for (int k = 0; k < now.size(); k++) {
                HostPlan h = now.get(k);
                HostFailure f = results.get(k);
                if (f != null) {
                    bad++;
                    fail(failures, f);
                    live.remove(h);
                } else if (h.changes().get(i) instanceof Change.Act) {
                    did++;
                    changed.merge(h.host(), 1, Integer::sum);
                } else {
                    ok++;
                }
            }
            listener.stepDone(new StepReport(i + 1, total, label, did, ok, bad));
        }
        return new ApplyResult(changed, failures);
    }

    private void fail(List<HostFailure> failures, HostFailure f) {
        failures.add(f);
        listener.hostFailed(f);
    }

    private HostFailure freshness(HostPlan h, SshTarget target) {
        try {
            HostFacts now = gatherer.gather(pool.get(target), h.request(), stepTimeout);
            if (!now.fingerprint().equals(h.factsFingerprint())) {
                return new HostFailure(h.host(), "stale plan", "the host changed since the plan was made; run plan again");
            }
            return null;
        } catch (PigException e) {
            return new HostFailure(h.host(), "facts", Planner.stripHost(h.host(), masker.mask(e.getMessage())));
        }
    }

    /** Runs one change on one host; null when it succeeded or had nothing to do. */
    private HostFailure runChange(String host, SshTarget target, Change c) {
        if (!(c instanceof Change.Act a)) {
            return null;
        }
        try {
            Transport t = pool.get(target);
            for (Step s : a.steps()) {
                LOG.debug("{}: {}", host, s.shown());
                if (s instanceof Step.Exec e) {
                    CommandResult r = t.run(e.command(), null, stepTimeout);
                    if (!r.ok()) {
                        return new HostFailure(host, a.task(), "`" + e.shown() + "` exited " + r.exitCode()
                                + ": " + masker.mask(r.tail(5)));
                    }
                } else if (s instanceof Step.Upload u) {
                    t.upload(u.content(), u.path(), u.mode(), u.owner(), u.group(), stepTimeout);
                }
            }
            return null;
        } catch (PigException e) {
            return new HostFailure(host, a.task(), Planner.stripHost(host, masker.mask(e.getMessage())));
        }
    }
}
