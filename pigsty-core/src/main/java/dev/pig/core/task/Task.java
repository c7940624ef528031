package dev.pig.core.task;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;

/** Desired state that plans a {@link Change} from facts. */
public interface Task {

    /** What the task manages, e.g. {@code file /etc/patroni/patroni.yml}. */
    String name();

    /** The Pigsty tag that selects it, e.g. {@code pg_conf}. */
    String tag();

    /** Adds the facts this task needs to the host's request. */
    void require(FactRequest.Builder facts);

    /** Compares desired and current state; never executes anything. */
    Change plan(HostFacts facts, PlanContext ctx);
}
