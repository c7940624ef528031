package dev.pig.core.fact;

/**
 * A module's own fact, gathered in the same round trip as the built-in ones, e.g. the PostgreSQL
 * roles of a {@code pg_user} task or the members of an etcd cluster.
 *
 * @param <T> the parsed, immutable value
 */
public interface FactSection<T> {

    /** A unique name, such as {@code pgsql.roles}. */
    String name();

    /**
     * A POSIX sh snippet printing the raw fact on stdout, usually read from a resource next to the
     * module. It runs in a subshell as root; what it prints to stderr is ignored.
     */
    String script();

    /** Parses what the snippet printed; must not touch the network or the file system. */
    T parse(String output);

    /**
     * Whether the section changes between two runs without anyone changing the host (a uptime,
     * a counter); volatile sections are left out of the fingerprint that detects stale plans.
     */
    default boolean isVolatile() {
        return false;
    }

    /** One line on the value for {@code pig facts}; empty leaves the section out of that view. */
    default String summary(T value) {
        return "";
    }
}
