package dev.pig.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;
import dev.pig.modules.Selection;

/**
 * What a run plans, as data, built by a command and run by the {@link Workflow}: the deployment
 * or the removal of the modules a {@link Selection} covers, or an {@link Operation}'s work, or a
 * plan saved earlier; and what to say once it is applied.
 *
 * @param kind       whether the work puts state on hosts or takes it away
 * @param selection  the hosts, modules, tags and entries covered
 * @param operation  when present, the work instead of the modules' tasks ({@code pgsql backup}, {@code etcd rm})
 * @param savedPlan  when present, the plan to apply instead of planning ({@code pig apply PLANFILE})
 * @param afterApply what to say once the work is applied without error
 */
record Request(Kind kind, Selection selection, Optional<Function<ModuleContext, Operation>> operation,
               Optional<Path> savedPlan, Optional<String> afterApply) {

    /**
     * A deployment is refused when hosts outside the sandbox would get guessable passwords, and
     * warns about groups pig does not deploy when it covers every module; a removal neither.
     */
    enum Kind { DEPLOY, REMOVE }

    /** The selected modules, deployed. */
    static Request deploy(Selection s) {
        return new Request(Kind.DEPLOY, s, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** What removing the selected modules takes ({@code pig node rm}, {@code pig pgsql rm}). */
    static Request removal(Selection s) {
        return new Request(Kind.REMOVE, s, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** An operation on live hosts, checked like a deployment ({@code pig pgsql backup}, {@code pitr}). */
    static Request operation(Selection s, Function<ModuleContext, Operation> op) {
        return new Request(Kind.DEPLOY, s, Optional.of(op), Optional.empty(), Optional.empty());
    }

    /** A removal done by an operation ({@code pig etcd rm}). */
    static Request removal(Selection s, Function<ModuleContext, Operation> op) {
        return new Request(Kind.REMOVE, s, Optional.of(op), Optional.empty(), Optional.empty());
    }

    /** A plan saved with {@code pig plan -o}, applied exactly, refused whole when a host changed since. */
    static Request saved(Path file, Selection s) {
        return new Request(Kind.DEPLOY, s, Optional.empty(), Optional.of(file), Optional.empty());
    }

    Request withAfterApply(String text) {
        return new Request(kind, selection, operation, savedPlan, Optional.of(text));
    }
}
