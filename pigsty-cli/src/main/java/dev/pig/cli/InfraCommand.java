package dev.pig.cli;

import java.util.Set;

import dev.pig.modules.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pig infra add|rm [SELECTOR]}: Pigsty's {@code infra.yml} and {@code infra-rm.yml}, the
 * INFRA module on the infra nodes a selector names (all of the {@code infra} group when none).
 */
@Command(name = "infra", description = "Deploy the monitoring stack, portal and DNS on infra nodes (INFRA module), or remove them.",
        subcommands = {InfraCommand.Add.class, InfraCommand.Rm.class})
public final class InfraCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The INFRA module on the infra nodes a selector names; giving {@code -l} too would leave one of them silently unused. */
    abstract static class OnInfra extends HostsCommand {
        @Mixin
        ApplyOptions apply;
        @Parameters(index = "0", arity = "0..1", paramLabel = "SELECTOR", description = "Infra nodes, comma-separated; the infra group when none.")
        String selector;

        Selection infra() {
            run.refuseLimit("give the hosts as SELECTOR or with -l, not both");
            return run.selection().withLimit(selector == null ? "infra" : selector).withModules(Set.of("infra"));
        }
    }

    /** {@code pig infra add [SELECTOR]}: plan and apply INFRA, with every instance of the inventory registered. */
    @Command(name = "add", description = "Plan and apply the INFRA module, registering every instance of the inventory.")
    static final class Add extends OnInfra {
        @Override
        public Integer call() {
            Selection sel = infra();
            return workflow().apply(inventory.load(), Request.deploy(sel), apply.policy());
        }
    }

    /**
     * {@code pig infra rm [SELECTOR]}: the stack's services stop and are disabled and pig's
     * configuration files beside the packages' go; metrics, rules, targets and dashboards stay.
     */
    @Command(name = "rm", description = "Stop the monitoring stack, portal and DNS and remove pig's configs (metrics and targets stay).")
    static final class Rm extends OnInfra {
        @Override
        public Integer call() {
            Selection sel = infra();
            return workflow().apply(inventory.load(), Request.removal(sel), apply.policy());
        }
    }
}
