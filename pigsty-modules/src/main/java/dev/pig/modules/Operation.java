package dev.pig.modules;

import java.util.List;
import java.util.Map;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.model.Node;
import dev.pig.core.task.Task;

/**
 * Work that is not the deployment or removal of modules ({@code pig pgsql backup}, {@code pitr},
 * {@code pig etcd rm}), planned, shown, confirmed and applied like a deployment. Some cannot say
 * what they will do before they know something of the live hosts (which etcd member answers,
 * to remove another through it): they name those facts in {@link #probe()}, and get them in the
 * same round trip per host that planning needs.
 */
public interface Operation {

    /**
     * The facts to know, per node, before the work can be chosen; empty when the work is known
     * without them. A node that will also have tasks should be asked here for everything its
     * tasks need ({@link #needs}), so it is asked once.
     */
    default Map<Node, FactRequest> probe() {
        return Map.of();
    }

    /**
     * The tasks per node, chosen from what the probe found; refuses with a
     * {@link dev.pig.core.diag.PigException} when the operation cannot go ahead, before any plan
     * is shown.
     */
    Work work(Gathered probed);

    /**
     * What an operation does: tasks per node, in the order the plan shows them, and what to say
     * before the plan ({@code Removing through 10.10.10.10: ...}).
     */
    record Work(Map<Node, List<Task>> tasks, List<String> notes) {
        public Work {
            tasks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tasks));
            notes = List.copyOf(notes);
        }
    }

    /** An operation whose tasks are known without asking any host first. */
    static Operation of(Map<Node, List<Task>> tasks) {
        return probed -> new Work(tasks, List.of());
    }

    /** What {@code tasks} need to know, and {@code more}, in one request. */
    static FactRequest needs(List<? extends Task> tasks, FactRequest more) {
        FactRequest.Builder b = more.toBuilder();
        tasks.forEach(t -> t.require(b));
        return b.build();
    }
}
