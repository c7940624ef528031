package dev.pig.core.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/** What one task means for one host: nothing, with the reason, or an action with its steps. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Change.NoOp.class, name = "noop"),
        @JsonSubTypes.Type(value = Change.Act.class, name = "act")})
public sealed interface Change {

    /** The task, e.g. {@code file /etc/patroni/patroni.yml}. */
    String task();

    /** The Pigsty tag that selects the task, e.g. {@code pg_conf}. */
    String tag();

    /** Nothing to do; {@code reason} says why, e.g. "package patroni is installed (3.2.2-1)". */
    record NoOp(String task, String tag, String reason) implements Change {
    }

    /**
     * Something to do.
     *
     * @param summary what and why, one line, secrets masked
     * @param diff    unified diff of a file's content, masked; empty when not a file change
     */
    record Act(String task, String tag, Action action, String summary, List<Step> steps, String diff) implements Change {
        public Act {
            steps = List.copyOf(steps);
            diff = diff == null ? "" : diff;
        }
    }
}
