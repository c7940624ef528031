package dev.pig.core.task;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.fact.UnitState;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * A systemd unit: enabled and running, restarted (or reloaded) only when a file it depends on
 * changes in the same plan, so a re-run never bounces a healthy service.
 *
 * <pre>{@code
 * new UnitTask("patroni.service", true, true, List.of("/etc/patroni/patroni.yml"), List.of(), "pg_launch")
 * }</pre>
 *
 * @param restartOn paths whose change restarts the unit; a changed unit file also triggers daemon-reload
 * @param reloadOn  paths whose change reloads the unit (unless it restarts anyway)
 */
public final class UnitTask extends BaseTask {
    private final String unit;
    private final boolean enabled;
    private final boolean running;
    private final List<String> restartOn;
    private final List<String> reloadOn;

    public UnitTask(String unit, boolean enabled, boolean running, List<String> restartOn, List<String> reloadOn, String tag) {
        super("unit " + unit, tag);
        this.unit = unit;
        this.enabled = enabled;
        this.running = running;
        this.restartOn = List.copyOf(restartOn);
        this.reloadOn = List.copyOf(reloadOn);
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.units(unit);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        UnitState s = facts.unit(unit);
        List<Step> steps = new ArrayList<>();
        List<String> what = new ArrayList<>();
        String u = q(unit);
        String unitFileChanged = ctx.firstChanged(restartOn.stream().filter(p -> p.contains("/systemd/")).toList());
        boolean reload = unitFileChanged != null || !s.exists();
        // started by an earlier task of this plan: enabled and running by the time this one applies
        boolean startedHere = ctx.started(unit);
        boolean enable = enabled && !s.enabled() && !startedHere;
        if (enable) {
            what.add("enable");
            // enable reloads systemd itself: after a unit file changed, the links go first and one
            // reload follows (two reloads before, each a few hundred ms on a busy host)
            steps.add(Step.Exec.of(reload ? "systemctl enable --no-reload " + u + " && systemctl daemon-reload" : "systemctl enable " + u,
                    ctx.masker()));
        } else if (reload) {
            steps.add(Step.Exec.of("systemctl daemon-reload", ctx.masker()));
        }
        if (!enabled && s.enabled() && !s.unitFileState().equals("static")) {
            what.add("disable");
            steps.add(Step.Exec.of("systemctl disable " + u, ctx.masker()));
        }
        String restartCause = ctx.firstChanged(restartOn);
        String reloadCause = ctx.firstChanged(reloadOn);
        if (running && !s.active() && !startedHere) {
            ctx.starts(unit);
            // a unit that failed often is held back by its start limit until reset
            what.add(s.activeState().equals("failed") ? "start (it had failed)" : "start");
            steps.add(Step.Exec.of((s.activeState().equals("failed") ? "systemctl reset-failed " + u + "; " : "")
                    + "systemctl start " + u, ctx.masker()));
        } else if (running && restartCause != null) {
            what.add("restart (" + restartCause + " changed)");
            steps.add(Step.Exec.of("systemctl restart " + u, ctx.masker()));
        } else if (running && reloadCause != null) {
            what.add("reload (" + reloadCause + " changed)");
            steps.add(Step.Exec.of("systemctl reload " + u, ctx.masker()));
        } else if (!running && (s.active() || startedHere)) {
            what.add("stop");
            steps.add(Step.Exec.of("systemctl stop " + u, ctx.masker()));
        }
        if (what.isEmpty() && startedHere) {
            return noop("unit " + unit + " is started earlier in this run; none of its files changed after that");
        }
        if (what.isEmpty()) {
            return noop("unit " + unit + " is " + s.activeState() + " and " + (s.unitFileState().isEmpty() ? "has no unit file" : s.unitFileState())
                    + "; none of its files changed");
        }
        return act(Action.UPDATE, "unit " + unit + ": " + String.join(", ", what), steps, "");
    }
}
