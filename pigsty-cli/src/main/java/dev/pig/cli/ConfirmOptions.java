package dev.pig.cli;

import picocli.CommandLine.Option;

/**
 * {@code -y} and {@code --detailed-exitcode}, for commands that change hosts all or none: a
 * removal, a recovery. {@link ApplyOptions} adds {@code --keep-going} for the others.
 */
public class ConfirmOptions {
    @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
    boolean yes;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when nothing changed, 2 when changes were applied, 1 on error.")
    boolean detailedExitCode;

    /** Asked unless -y; a host that could not be planned stops the run, always. */
    Policy policy() {
        return new Policy(!yes, Policy.PlanErrors.ALL_OR_NOTHING, detailedExitCode);
    }
}
