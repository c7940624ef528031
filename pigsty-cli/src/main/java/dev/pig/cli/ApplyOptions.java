package dev.pig.cli;

import picocli.CommandLine.Option;

/** {@code -y}, {@code --detailed-exitcode} and {@code --keep-going}: how a deployment is confirmed and judged. */
public final class ApplyOptions extends ConfirmOptions {
    @Option(names = "--keep-going",
            description = "Apply the hosts that were planned even when others could not be (by default a plan error applies nothing).")
    boolean keepGoing;

    @Override
    Policy policy() {
        return new Policy(!yes, keepGoing ? Policy.PlanErrors.KEEP_GOING : Policy.PlanErrors.STOP, detailedExitCode);
    }
}
