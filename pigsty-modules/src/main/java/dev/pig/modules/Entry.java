package dev.pig.modules;

import java.util.Optional;

import dev.pig.core.task.Task;
import dev.pig.core.task.Wrapper;

/**
 * Marks a task as the one for a single entry of a list parameter (the role of a {@code pg_users}
 * entry, the database of a {@code pg_databases} entry), so a command can select that entry by
 * its name, as Pigsty's {@code pgsql-user.yml -e username=...} does, and never by the wording
 * of a task's name. See {@link Selection#only}.
 *
 * @param entry the entry's {@code name}
 */
public record Entry(String entry, Task task) implements Wrapper {

    @Override
    public Task inner() {
        return task;
    }

    /** The entry a task, or a task it wraps, is for; empty for a task of no single entry. */
    public static Optional<String> of(Task t) {
        for (Task at = t; at instanceof Wrapper w; at = w.inner()) {
            if (w instanceof Entry e) {
                return Optional.of(e.entry());
            }
        }
        return Optional.empty();
    }
}
