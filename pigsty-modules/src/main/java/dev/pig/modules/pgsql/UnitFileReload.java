package dev.pig.modules.pgsql;

import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * Tells systemd about a changed patroni.service and nothing more. Restarting Patroni would stop
 * PostgreSQL with it, and a leader's would fail over; the running Patroni keeps the unit it was
 * started with, and picks up the new one (limits, OOM score, restart policy) at its next start.
 */
final class UnitFileReload implements Task {
    private final String unitFile;

    UnitFileReload(String unitFile) {
        this.unitFile = unitFile;
    }

    @Override
    public String name() {
        return "daemon-reload";
    }

    @Override
    public String tag() {
        return "pg_conf";
    }

    @Override
    public void require(FactRequest.Builder b) {
        b.units("patroni.service");
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        if (ctx.firstChanged(List.of(unitFile)) == null) {
            return new Change.NoOp(name(), tag(), unitFile + " is unchanged");
        }
        if (!facts.unit("patroni.service").exists()) {
            return new Change.NoOp(name(), tag(), "patroni.service is new: it is loaded when it is first started");
        }
        return new Change.Act(name(), tag(), Action.UPDATE, "daemon-reload (" + unitFile + " changed; Patroni and PostgreSQL"
                + " keep running, the new unit applies at Patroni's next start)",
                List.of(Step.Exec.of("systemctl daemon-reload", ctx.masker())), "");
    }
}
