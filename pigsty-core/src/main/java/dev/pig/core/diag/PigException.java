package dev.pig.core.diag;

/**
 * A failure meant for the user, not a bug: its message is printed without a stack trace and its
 * {@link Kind} decides the exit code.
 */
public class PigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as the exit code is concerned. */
    public enum Kind {
        /** The command line is wrong. */
        USAGE,
        /** The inventory or another input file is invalid; nothing was done. */
        INVALID_INPUT,
        /** A host or a required local tool is not available. */
        UNAVAILABLE,
        /** The work was attempted and failed. */
        FAILED
    }

    private final Kind kind;

    public PigException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PigException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The text printed on stderr. */
    public String render() {
        String m = getMessage();
        return m.startsWith("Error:") ? m : "Error: " + m;
    }
}
