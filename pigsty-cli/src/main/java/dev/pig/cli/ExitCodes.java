package dev.pig.cli;

import dev.pig.core.diag.PigException;

/**
 * Every exit code pig returns, in one place. They follow the BSD sysexits convention where one
 * fits, so scripts can tell a bad inventory from an unreachable host.
 */
public final class ExitCodes {
    /** Success; with {@code --detailed-exitcode}, success and nothing to change. */
    public static final int OK = 0;
    /** A run failed on at least one host, or an unexpected failure. */
    public static final int FAILURE = 1;
    /** With {@code --detailed-exitcode}: the plan has changes pending. */
    public static final int CHANGES_PENDING = 2;
    /** The command line itself is wrong. */
    public static final int USAGE = 64;
    /** The inventory is invalid: nothing was done on any host. */
    public static final int INVALID_INVENTORY = 65;
    /** No host could be reached, or a required local tool is missing. */
    public static final int UNAVAILABLE = 69;
    /** A bug in pig: please report it with the output of {@code --debug}. */
    public static final int INTERNAL = 70;

    /** The exit code of a user-facing failure. */
    public static int of(PigException.Kind kind) {
        return switch (kind) {
            case USAGE -> USAGE;
            case INVALID_INPUT -> INVALID_INVENTORY;
            case UNAVAILABLE -> UNAVAILABLE;
            case FAILED -> FAILURE;
        };
    }

    private ExitCodes() {
    }
}
