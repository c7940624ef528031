package dev.pig.core.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A password or key. Its {@code toString()} is {@code ***}, and so is its JSON form, so it never
 * reaches a log, a plan or a terminal by accident; {@link #reveal()} is for the one place that
 * must send it to a host.
 */
public record Secret(String value) {
    public static final String MASK = "***";

    public String reveal() {
        return value;
    }

    /** What Jackson writes for a secret, wherever one is serialised (a record component, a map value). */
    @JsonValue
    public String masked() {
        return MASK;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
