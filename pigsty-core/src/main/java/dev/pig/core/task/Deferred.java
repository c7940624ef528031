package dev.pig.core.task;

import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;

/**
 * A task whose exact desired state depends on facts: the PostgreSQL tuning that follows a host's
 * memory, the etcd start mode that follows whether the cluster already runs. What it needs to
 * know is declared up front ({@code require}); the real task is made at plan time.
 */
public final class Deferred implements Task {
    private final String name;
    private final String tag;
    private final Consumer<FactRequest.Builder> require;
    private final BiFunction<HostFacts, PlanContext, Task> factory;

    public Deferred(String name, String tag, Consumer<FactRequest.Builder> require,
                    BiFunction<HostFacts, PlanContext, Task> factory) {
        this.name = name;
        this.tag = tag;
        this.require = require;
        this.factory = factory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        require.accept(facts);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        return factory.apply(facts, ctx).plan(facts, ctx);
    }
}
