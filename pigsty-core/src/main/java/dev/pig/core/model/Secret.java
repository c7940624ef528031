package dev.pig.core.model;

/**
 * A password or key. Its {@code toString()} is {@code ***}, so it never reaches a log, a plan or a
 * terminal by accident; {@link #reveal()} is for the one place that must send it to a host.
 */
public record Secret(String value) {
    public static final String MASK = "***";

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
