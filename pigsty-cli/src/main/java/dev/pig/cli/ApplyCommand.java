package dev.pig.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pig apply [PLANFILE]}: executes exactly a plan. With a saved plan, hosts whose facts
 * changed since it was made are refused as stale; without one, plans first. Either way it shows
 * the plan and asks, unless {@code -y}.
 */
@Command(name = "apply", description = "Apply a saved plan, or plan and apply after confirmation.")
public final class ApplyCommand extends HostsCommand {
    @Mixin
    ApplyOptions apply;

    @Parameters(arity = "0..1", paramLabel = "PLANFILE", description = "A plan saved with 'pig plan -o'.")
    Path planFile;

    @Override
    public Integer call() {
        Request req = planFile == null ? Request.deploy(run.selection()) : Request.saved(planFile, run.selection());
        return workflow().apply(inventory.load(), req, apply.policy());
    }
}
