package dev.pig.cli;

/**
 * How a run is confirmed and judged, apart from what it plans ({@link Request}).
 *
 * @param ask              ask before applying (no {@code -y}); a backup is never asked about
 * @param planErrors       what a host that could not be planned does to the run
 * @param detailedExitCode {@code --detailed-exitcode}: exit 2 when changes were applied, 0 when none
 */
record Policy(boolean ask, PlanErrors planErrors, boolean detailedExitCode) {

    /** What a host that could not be planned does to the run. */
    enum PlanErrors {
        /** Nothing is applied; {@code --keep-going} would apply the hosts that were planned. */
        STOP,
        /** {@code --keep-going}: the hosts that were planned are applied, the others reported. */
        KEEP_GOING,
        /**
         * Nothing is applied, and no option changes that: the work is one change over several
         * hosts (a removal whose leader must go last, a recovery of a whole cluster).
         */
        ALL_OR_NOTHING
    }

    /** Not asked, and all or nothing: an operation that only adds (a backup). */
    static Policy unattended() {
        return new Policy(false, PlanErrors.ALL_OR_NOTHING, false);
    }
}
