package dev.pig.cli;

import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pig node add|rm SELECTOR}: Pigsty's {@code node-add} and {@code node-rm}, for the hosts a
 * selector names (a host, a group or a cluster, comma-separated, like {@code -l}).
 */
@Command(name = "node", description = "Add hosts to pig's management (NODE module) or remove what pig installed on them.",
        subcommands = {NodeCommand.Add.class, NodeCommand.Rm.class})
public final class NodeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The selector becomes the run's limit; giving both would leave one of them silently unused. */
    static void limitTo(RunOptions run, String selector) {
        if (run.limit != null && !run.limit.isBlank()) {
            throw new PigException(PigException.Kind.USAGE, "give the hosts as SELECTOR or with -l, not both");
        }
        run.limit = selector;
    }

    /** {@code pig node add SELECTOR}: plan and apply the NODE module on those hosts. */
    @Command(name = "add", description = "Plan and apply the NODE module on the selected hosts.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions inventory;

        @Mixin
        RunOptions run;

        @Parameters(index = "0", paramLabel = "SELECTOR", description = "Hosts, groups or clusters, comma-separated.")
        String selector;

        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            limitTo(run, selector);
            return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of("node"));
        }
    }

    /**
     * {@code pig node rm SELECTOR}: stops and disables node_exporter and haproxy, removes the
     * haproxy configurations and cron jobs pig wrote. Packages, users, settings and data stay.
     */
    @Command(name = "rm", description = "Stop node_exporter and haproxy and remove the configs pig wrote there (never data).")
    static final class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions inventory;

        @Mixin
        RunOptions run;

        @Parameters(index = "0", paramLabel = "SELECTOR", description = "Hosts, groups or clusters, comma-separated.")
        String selector;

        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            limitTo(run, selector);
            return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of("node"), true);
        }
    }
}
