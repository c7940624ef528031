package dev.pig.core.plan;

/**
 * A password or key from the inventory. {@link #toString()} is {@code ***}, so it never reaches a
 * log, a plan or a terminal by accident; {@link #reveal()} is for the one place that needs it.
 *
 * <pre>
 * pg_users: [{ name: dbuser_meta, password: DBUser.Meta }]
 * </pre>
 */
public record Secret(String value) {

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
