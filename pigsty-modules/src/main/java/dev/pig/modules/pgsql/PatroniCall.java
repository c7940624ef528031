package dev.pig.modules.pgsql;

import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PlanContext;

/**
 * One operation on a running cluster through Patroni's REST API, decided before planning from
 * what the members answered ({@link ClusterControl}): its plan line says what it does, its steps
 * are {@link Patroni} scripts run in order, each fed Patroni's credentials on stdin.
 */
final class PatroniCall extends BaseTask {
    private final Action action;
    private final String summary;
    private final Patroni patroni;
    private final List<String> scripts;

    PatroniCall(String name, String summary, Patroni patroni, List<String> scripts) {
        this(name, ClusterControl.TAG, Action.RUN, summary, patroni, scripts);
    }

    /** A call made by a deploy ({@link PatroniDcs}): under {@code tag}, shown as {@code action}. */
    PatroniCall(String name, String tag, Action action, String summary, Patroni patroni, List<String> scripts) {
        super(name, tag);
        this.action = action;
        this.summary = summary;
        this.patroni = patroni;
        this.scripts = List.copyOf(scripts);
    }

    @Override
    public void require(FactRequest.Builder b) {
        // decided from the probe: nothing more to know
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        return act(action, summary, scripts.stream().<dev.pig.core.plan.Step>map(s -> patroni.step(s, ctx.masker())).toList(), "");
    }
}
