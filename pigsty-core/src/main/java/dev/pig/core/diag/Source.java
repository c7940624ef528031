package dev.pig.core.diag;

/**
 * A position in a user's file: 1-based line and column. {@link #NONE} when a value has no file
 * behind it (a built-in default, a {@code -e key=value} on the command line).
 */
public record Source(String file, int line, int column) {
    public static final Source NONE = new Source("", 0, 0);

    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return known() ? file + ":" + line + ":" + column : file;
    }
}
