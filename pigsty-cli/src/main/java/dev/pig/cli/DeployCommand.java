package dev.pig.cli;

import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pig deploy}: plan and apply every module the inventory uses, in Pigsty's order. */
@Command(name = "deploy", description = "Plan and apply every module of the inventory (infra, node, etcd, minio, pgsql, redis).")
public final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    RunOptions run;

    @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
    boolean yes;

    @Override
    public Integer call() {
        return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of());
    }
}
