package dev.pig.cli;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.PlanJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig apply [PLANFILE]}: executes exactly a plan. With a saved plan, hosts whose facts
 * changed since it was made are refused as stale; without one, plans first. Either way it shows
 * the plan and asks, unless {@code -y}.
 */
@Command(name = "apply", description = "Apply a saved plan, or plan and apply after confirmation.")
public final class ApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    RunOptions run;

    @Parameters(arity = "0..1", paramLabel = "PLANFILE", description = "A plan saved with 'pig plan -o'.")
    Path planFile;

    @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
    boolean yes;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when nothing changed, 2 when changes were applied, 1 on error.")
    boolean detailedExitCode;

    @Override
    public Integer call() {
        return applyWith(spec, inventory, run, planFile, yes, Set.of(), false, detailedExitCode);
    }

    /** Shared by apply, deploy and the module commands. */
    static int applyWith(CommandSpec spec, InventoryOptions inventory, RunOptions run, Path planFile, boolean yes,
                         Set<String> modules) {
        return applyWith(spec, inventory, run, planFile, yes, modules, false);
    }

    /** @param removal plan and apply the removal of the modules rather than their deployment */
    static int applyWith(CommandSpec spec, InventoryOptions inventory, RunOptions run, Path planFile, boolean yes,
                         Set<String> modules, boolean removal) {
        return applyWith(spec, inventory, run, planFile, yes, modules, removal, false);
    }

    /** @param detailed {@code --detailed-exitcode}: 0 when nothing changed, 2 when changes were applied, 1 on error */
    static int applyWith(CommandSpec spec, InventoryOptions inventory, RunOptions run, Path planFile, boolean yes,
                         Set<String> modules, boolean removal, boolean detailed) {
        ModelLoader.Loaded loaded = inventory.load();
        InventoryCommand.printWarnings(spec.commandLine().getErr(), loaded);
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (!removal && planFile == null) {
            EngineRun.warnSkipped(loaded, run, modules, err);
        }
        try (EngineRun r = new EngineRun(loaded, run, modules, removal)) {
            Plan plan = planFile != null ? PlanJson.load(planFile) : r.plan();
            boolean any = EngineRun.show(plan, false, out);
            int unreachable = EngineRun.unreachable(plan, err);
            if (unreachable >= 0) {
                return unreachable;
            }
            if (!any) {
                if (plan.failedHosts().isEmpty()) {
                    return ExitCodes.OK;
                }
                err.println("Error: nothing to apply on the hosts planned; " + plan.failedHosts().size()
                        + " host(s) could not be planned: " + String.join(", ", plan.failedHosts().stream().map(h -> h.host()).toList()));
                return ExitCodes.FAILURE;
            }
            if (!EngineRun.confirm(yes, out)) {
                err.println("Apply cancelled; nothing was changed.");
                return ExitCodes.FAILURE;
            }
            return r.apply(plan, planFile != null, detailed, out, err);
        }
    }
}
