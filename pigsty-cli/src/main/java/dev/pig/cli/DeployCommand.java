package dev.pig.cli;

import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig deploy}: plan and apply every module the inventory uses, in Pigsty's order. Groups
 * of modules pig does not deploy yet (infra, redis) are validated, then skipped with a
 * warning.
 */
@Command(name = "deploy", description = {
        "Plan and apply every module of the inventory, in Pigsty's order: node, etcd, minio, pgsql.",
        "Groups of the infra and redis modules are validated, then skipped with a warning: pig does not deploy them yet."})
public final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    RunOptions run;

    @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
    boolean yes;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when nothing changed, 2 when changes were applied, 1 on error.")
    boolean detailedExitCode;

    @Override
    public Integer call() {
        return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of(), false, detailedExitCode);
    }
}
