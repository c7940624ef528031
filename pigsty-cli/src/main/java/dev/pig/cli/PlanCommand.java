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
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pig plan}: what a deploy would change on each host, and why; changes nothing. */
@Command(name = "plan", description = "Show what would change on each host and why; change nothing.")
public final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    RunOptions run;

    @Option(names = "--json", description = "Print the plan as JSON, secrets masked (a view: apply only takes a file saved with -o).")
    boolean json;

    @Option(names = {"-o", "--out"}, paramLabel = "PLANFILE",
            description = "Save the plan for 'pig apply PLANFILE' (mode 0600: it holds the commands as they will run, secrets included).")
    Path out;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    boolean detailedExitCode;

    @Option(names = {"-v", "--verbose"}, description = "Also list what needs no change, with the reason.")
    boolean verbose;

    @Override
    public Integer call() {
        ModelLoader.Loaded loaded = inventory.load();
        InventoryCommand.printWarnings(spec.commandLine().getErr(), loaded);
        EngineRun.warnSkipped(loaded, run, Set.of(), spec.commandLine().getErr());
        if (out != null) {
            PlanJson.checkWritable(out);
        }
        try (EngineRun r = new EngineRun(loaded, run, Set.of())) {
            long t0 = System.nanoTime();
            Plan plan = r.plan();
            spec.commandLine().getErr().println(EngineRun.factsLine(r.connections().roundTrips(), System.nanoTime() - t0));
            if (json) {
                spec.commandLine().getOut().println(PlanJson.view(plan, r.deployment().masker()));
            } else {
                EngineRun.show(plan, verbose, spec.commandLine().getOut());
            }
            if (out != null) {
                PlanJson.save(plan, out);
                spec.commandLine().getErr().println("Plan saved to " + out + "; apply it with: pig apply -i " + inventory.inventory + " " + out);
            }
            int unreachable = EngineRun.unreachable(plan, spec.commandLine().getErr());
            if (unreachable >= 0) {
                return unreachable;
            }
            if (!plan.failedHosts().isEmpty()) {
                return ExitCodes.FAILURE;
            }
            return detailedExitCode && !plan.isEmpty() ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
        }
    }
}
