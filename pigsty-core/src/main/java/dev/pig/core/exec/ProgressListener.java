package dev.pig.core.exec;

/** Receives a line per step while a plan is applied; called from the applying thread only. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = r -> { };

    void stepDone(StepReport report);

    /** A host failed; by default nothing beyond the step line. */
    default void hostFailed(HostFailure failure) {
    }
}
