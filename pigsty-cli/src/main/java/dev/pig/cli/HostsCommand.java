package dev.pig.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that reaches hosts has: {@code -i} and {@code -e}, the run's options
 * ({@code -l}, {@code -t}, how to connect), and the {@link Workflow} its request runs in. A
 * subclass adds its own arguments and builds the request.
 */
abstract class HostsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    RunOptions run;

    Workflow workflow() {
        return new Workflow(spec, run);
    }
}
