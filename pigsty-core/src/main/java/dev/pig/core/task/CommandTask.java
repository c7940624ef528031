package dev.pig.core.task;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A command that runs only when needed. The guard is either a predicate over facts or a check
 * command gathered with the facts: when the check exits 0 the work is already done.
 *
 * <pre>{@code
 * CommandTask.unless("initdb", "test -f /pg/data/PG_VERSION", "su postgres -c 'initdb -D /pg/data'", "pg_init")
 * }</pre>
 */
public final class CommandTask extends BaseTask {
    private final String command;
    private final String check;
    private final Predicate<HostFacts> done;
    private final String doneReason;
    private final Consumer<FactRequest.Builder> needs;
    private final String input;

    private CommandTask(String name, String command, String check, Predicate<HostFacts> done, String doneReason,
                        Consumer<FactRequest.Builder> needs, String tag, String input) {
        super("command " + name, tag);
        this.command = command;
        this.check = check;
        this.done = done;
        this.doneReason = doneReason;
        this.needs = needs;
        this.input = input;
    }

    /** Runs {@code command} unless {@code check} exits 0 on the host. */
    public static CommandTask unless(String name, String check, String command, String tag) {
        return new CommandTask(name, command, check, null, "check `" + check + "` passed", b -> { }, tag, null);
    }

    /**
     * Runs {@code command} unless {@code done} holds for the facts; {@code needs} asks for the facts
     * the predicate reads and {@code reason} explains the no-op.
     */
    public static CommandTask unlessFacts(String name, Consumer<FactRequest.Builder> needs, Predicate<HostFacts> done,
                                          String reason, String command, String tag) {
        return new CommandTask(name, command, null, done, reason, needs, tag, null);
    }

    /** Runs {@code command} every time the task is planned: an operation, not a state. */
    public static CommandTask always(String name, String command, String tag) {
        return new CommandTask(name, command, null, f -> false, "", b -> { }, tag, null);
    }

    /**
     * The same command fed {@code input} on its stdin: the secrets it needs (a command line is
     * readable by every local user), or the SQL of a psql call.
     */
    public CommandTask withInput(String stdin) {
        String bare = name().substring("command ".length());
        return new CommandTask(bare, command, check, done, doneReason, needs, tag(), stdin);
    }

    @Override
    public void require(FactRequest.Builder facts) {
        if (check != null) {
            facts.checks(check);
        }
        needs.accept(facts);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        boolean isDone = check != null ? facts.check(check) : done.test(facts);
        if (isDone) {
            return noop(name() + ": " + ctx.masker().mask(doneReason));
        }
        Step.Exec step = input == null ? Step.Exec.of(command, ctx.masker()) : Step.Exec.withInput(command, input, ctx.masker());
        return act(Action.RUN, name() + ": " + step.shown(), List.of(step), "");
    }
}
