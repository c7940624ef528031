package dev.pig.core.exec;

/** Receives a line per step while a plan is applied; called from the applying thread only, one event at a time. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = r -> { };

    void stepDone(StepReport report);

    /**
     * Step {@code index} of {@code total} starts on the hosts that have work in it; a step can run
     * for minutes (a package install), so the run says so before it waits.
     */
    default void stepStarted(int index, int total, String task, int hosts) {
    }

    /** A host finished its part of step {@code index} without failing (a step may still run on others). */
    default void hostDone(int index, String host) {
    }

    /** A host failed; by default nothing beyond the step line. */
    default void hostFailed(HostFailure failure) {
    }
}
