package dev.pig.core.task;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

/**
 * A task whose change first runs a check on the host, so a failing check stops the change
 * before it does harm: {@code haproxy -c} before haproxy reloads a new configuration.
 */
public final class Guarded implements Wrapper {
    private final Task task;
    private final String check;

    public Guarded(Task task, String check) {
        this.task = task;
        this.check = check;
    }

    @Override
    public Task inner() {
        return task;
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        Change c = task.plan(facts, ctx);
        if (c instanceof Change.Act a) {
            List<Step> steps = new ArrayList<>();
            steps.add(Step.Exec.of(check, ctx.masker()));
            steps.addAll(a.steps());
            return new Change.Act(a.task(), a.tag(), a.action(), a.summary(), steps, a.diff());
        }
        return c;
    }
}
