package dev.pig.core.task;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;

/**
 * A task that adds to another one (a stage, a check before it, a judgement on what its change
 * means) and is otherwise that task: same name, tag and facts, and, unless it judges the
 * change, the same plan.
 */
public interface Wrapper extends Task {

    /** The task wrapped. */
    Task inner();

    @Override
    default String name() {
        return inner().name();
    }

    @Override
    default String tag() {
        return inner().tag();
    }

    @Override
    default void require(FactRequest.Builder facts) {
        inner().require(facts);
    }

    @Override
    default Change plan(HostFacts facts, PlanContext ctx) {
        return inner().plan(facts, ctx);
    }
}
