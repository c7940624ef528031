package dev.pig.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pig plan}: what a deploy would change on each host, and why; changes nothing. */
@Command(name = "plan", description = "Show what would change on each host and why; change nothing.")
public final class PlanCommand extends HostsCommand {
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
        return workflow().plan(inventory.load(), Request.deploy(run.selection()),
                new Workflow.Show(json, verbose, out, inventory.inventory, detailedExitCode));
    }
}
