package dev.pig.core.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
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
    /** the steps started and not reported done, by index, with their labels */
    private final SortedMap<Integer, String> running = new TreeMap<>();
    private String last = "";
    private final Map<String, Set<Integer>> doneBy = new ConcurrentHashMap<>();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    public ApplyTracker(ProgressListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized void stepStarted(int index, int total, String task, int hosts) {
        running.put(index, "[" + index + "/" + total + "] " + task);
        delegate.stepStarted(index, total, task, hosts);
    }

    @Override
    public synchronized void stepDone(StepReport report) {
        String l = running.remove(report.index());
        last = l != null ? l : "[" + report.index() + "/" + report.total() + "] " + report.task();
        delegate.stepDone(report);
    }

    @Override
    public void hostDone(int index, String host) {
        doneBy.computeIfAbsent(host, h -> ConcurrentHashMap.newKeySet()).add(index);
        delegate.hostDone(index, host);
    }

    @Override
    public void hostFailed(HostFailure failure) {
        failed.add(failure.host());
        delegate.hostFailed(failure);
    }

    /**
     * What {@code plan} still had when the apply stopped: the first line names the step that was
     * running (the earliest, when hosts were in different steps), then one line per host with the
     * tasks of the steps it had not finished; empty when nothing was left (or the apply had not
     * started a step).
     */
    public synchronized List<String> notApplied(Plan plan) {
        if (running.isEmpty() && last.isEmpty()) {
            return List.of();
        }
        // the stages in the order the executor numbers them: those of every host with changes
        TreeSet<String> all = new TreeSet<>();
        plan.hosts().stream().filter(h -> h.error() == null && !h.actions().isEmpty()).forEach(h -> all.addAll(h.stages()));
        List<String> order = new ArrayList<>(all);
        List<String> lines = new ArrayList<>();
        for (HostPlan h : plan.hosts()) {
            if (h.error() != null || failed.contains(h.host())) {
                continue;
            }
            Set<Integer> done = doneBy.getOrDefault(h.host(), Set.of());
            List<String> left = new ArrayList<>();
            for (int i = 0; i < h.changes().size(); i++) {
                if (h.changes().get(i) instanceof Change.Act a && !done.contains(order.indexOf(h.stages().get(i)) + 1)) {
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
        boolean during = !running.isEmpty();
        lines.add(0, (during ? "pig was stopped during step " + running.get(running.firstKey()) : "pig was stopped after step " + last)
                + "; not applied" + (during ? ", or cut short" : "") + ":");
        return lines;
    }
}
