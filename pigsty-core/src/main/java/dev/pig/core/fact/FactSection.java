package dev.pig.core.fact;

import dev.pig.core.ssh.Shell;

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
     * module. It runs in a subshell as root, as a background job at the same time as the other
     * sections and the guard checks, so it only reads; what it prints to stderr is ignored.
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

    /**
     * A script printing, a line each, the regular files (links left out) that {@code globs} match
     * and whose first line holds {@code mark}: how a module finds the files it wrote. The files are
     * picked with shell tests and read by one awk, not a process or two per file.
     *
     * @param globs shell words, quoted where they need it: {@code /etc/haproxy/*.cfg}
     */
    static String markedFiles(String globs, String mark) {
        return "set --; for f in " + globs + "; do [ -f \"$f\" ] && [ ! -L \"$f\" ] && set -- \"$@\" \"$f\"; done\n"
                + "[ $# -eq 0 ] || awk -v pig_mark=" + Shell.quote(mark) + " 'FNR == 1 && index($0, pig_mark) { print FILENAME }' \"$@\"\n"
                + "true\n";
    }

    /** One line on the value for {@code pig facts}; empty leaves the section out of that view. */
    default String summary(T value) {
        return "";
    }
}
