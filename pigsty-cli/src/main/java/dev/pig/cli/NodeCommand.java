package dev.pig.cli;

import java.util.Set;

import dev.pig.modules.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    /** The NODE module on the hosts a selector names; giving {@code -l} too would leave one of them silently unused. */
    abstract static class OnNodes extends HostsCommand {
        @Mixin
        ApplyOptions apply;
        @Parameters(index = "0", paramLabel = "SELECTOR", description = "Hosts, groups or clusters, comma-separated.")
        String selector;

        Selection nodes() {
            run.refuseLimit("give the hosts as SELECTOR or with -l, not both");
            return run.selection().withLimit(selector).withModules(Set.of("node"));
        }
    }

    /** {@code pig node add SELECTOR}: plan and apply the NODE module on those hosts. */
    @Command(name = "add", description = "Plan and apply the NODE module on the selected hosts.")
    static final class Add extends OnNodes {
        @Override
        public Integer call() {
            Selection sel = nodes();
            return workflow().apply(inventory.load(), Request.deploy(sel), apply.policy());
        }
    }

    /**
     * {@code pig node rm SELECTOR}: stops and disables node_exporter and haproxy, removes the
     * haproxy configurations and cron jobs pig wrote. Packages, users, settings and data stay.
     */
    @Command(name = "rm", description = "Stop node_exporter and haproxy and remove the configs pig wrote there (never data).")
    static final class Rm extends OnNodes {
        @Override
        public Integer call() {
            Selection sel = nodes();
            return workflow().apply(inventory.load(), Request.removal(sel), apply.policy());
        }
    }
}
