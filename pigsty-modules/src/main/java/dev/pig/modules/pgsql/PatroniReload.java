package dev.pig.modules.pgsql;

import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PlanContext;

/**
 * Reloads Patroni when patroni.yml changed and Patroni runs: it applies HBA and reloadable
 * settings itself and marks the rest pending restart. A stopped Patroni is started later.
 * Patroni reads the file again at the start of its next loop, not when signalled, so the step
 * ends a loop ({@code loop_wait}) and a second later: what follows it (a rolling restart reading
 * pending_restart, a reinit choosing its replica method) sees the new file.
 */
final class PatroniReload extends BaseTask {
    private final int loopWait;

    PatroniReload(int loopWait) {
        super("reload patroni", "pg_reload");
        this.loopWait = loopWait;
    }

    @Override
    public void require(FactRequest.Builder b) {
        b.units("patroni.service");
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        if (ctx.firstChanged(List.of(Paths.PATRONI_CONF)) == null) {
            return noop("patroni.yml is unchanged");
        }
        if (!facts.unit("patroni.service").active()) {
            return noop("patroni is not running; it reads the new file when it starts");
        }
        return act(Action.UPDATE, "reload patroni (" + Paths.PATRONI_CONF + " changed)",
                List.of(Step.Exec.of("systemctl reload patroni.service && sleep " + (loopWait + 1), ctx.masker())), "");
    }
}
