package dev.pig.cli;

/**
 * {@code -y} and {@code --detailed-exitcode} for a deployment: the hosts that were planned are
 * applied even when others could not be.
 */
public final class ApplyOptions extends ConfirmOptions {

    @Override
    Policy policy() {
        return new Policy(!yes, Policy.PlanErrors.KEEP_GOING, detailedExitCode);
    }
}
