package dev.pig.core.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Plan;

/**
 * Follows an apply as it goes, passing every event on, so that an apply cut short (pig stopped
 * by a signal while a rolling restart or an install runs) can still say, host by host, what the
 * plan had from the step that was running on: those changes may be half done or not started, and
 * the next run plans them again.
 *
 * <pre>
 * pig was stopped during step [12/12] rolling restart; not applied, or cut short:
 *   10.10.10.11: rolling restart
 * </pre>
 */
public final class ApplyTracker implements ProgressListener {
    private final ProgressListener delegate;
    private volatile int started;
    private volatile int done;
    private volatile String label = "";
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    public ApplyTracker(ProgressListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void stepStarted(int index, int total, String task, int hosts) {
        started = index;
        label = "[" + index + "/" + total + "] " + task;
        delegate.stepStarted(index, total, task, hosts);
    }

    @Override
    public void stepDone(StepReport report) {
        done = report.index();
        delegate.stepDone(report);
    }

    @Override
    public void hostFailed(HostFailure failure) {
        failed.add(failure.host());
        delegate.hostFailed(failure);
    }

    /**
     * What {@code plan} still had when the apply stopped: the first line names the step that was
     * running, then one line per host with the tasks of that step and of every later one; empty
     * when nothing was left (or the apply had not started a step).
     */
    public List<String> notApplied(Plan plan) {
        if (started == 0) {
            return List.of();
        }
        // the stages in the order the executor runs them: those of every host with changes
        TreeSet<String> all = new TreeSet<>();
        plan.hosts().stream().filter(h -> h.error() == null && !h.actions().isEmpty()).forEach(h -> all.addAll(h.stages()));
        List<String> order = new ArrayList<>(all);
        int from = done >= started ? started : started - 1;
        if (from >= order.size()) {
            return List.of();
        }
        String first = order.get(from);
        List<String> lines = new ArrayList<>();
        for (HostPlan h : plan.hosts()) {
            if (h.error() != null || failed.contains(h.host())) {
                continue;
            }
            List<String> left = new ArrayList<>();
            for (int i = 0; i < h.changes().size(); i++) {
                if (h.stages().get(i).compareTo(first) >= 0 && h.changes().get(i) instanceof Change.Act a) {
                    left.add(a.task());
                }
            }
            if (!left.isEmpty()) {
                lines.add("  " + h.host() + ": " + String.join(", ", left));
            }
        }
        if (lines.isEmpty()) {
            return List.of();
        }
        lines.add(0, (done >= started ? "pig was stopped after step " : "pig was stopped during step ") + label
                + "; not applied" + (done >= started ? "" : ", or cut short") + ":");
        return lines;
    }
}
