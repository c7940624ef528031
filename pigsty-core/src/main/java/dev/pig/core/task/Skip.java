package dev.pig.core.task;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;

/**
 * A task that is deliberately not done here, with the reason: {@code pgbackrest_enabled is
 * false}, {@code on the leader 10.10.10.11 only}. It asks for no facts and always plans a no-op,
 * so a plan lists every task of a stage, done or not, and says why.
 */
public final class Skip extends BaseTask {
    private final String reason;

    public Skip(String name, String tag, String reason) {
        super(name, tag);
        this.reason = reason;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        // nothing to know: the reason is known when the task is made
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        return noop(reason);
    }
}
