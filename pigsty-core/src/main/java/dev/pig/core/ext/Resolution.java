package dev.pig.core.ext;

import java.util.List;

/**
 * What a list of extension names needs on one OS release and PostgreSQL version.
 *
 * @param packages the packages to install, each once, in the order first named
 * @param builtIn  names that need no package (contrib, inside the server package)
 * @param missing  names with no package there, each with why
 */
public record Resolution(String osRelease, int pgVersion, List<Package> packages, List<String> builtIn,
                         List<Missing> missing) {

    /** Where a package comes from. */
    public enum Source {
        /** The release's own archive. */
        DEBIAN,
        /** apt.postgresql.org, which the node must have among its package sources. */
        PGDG
    }

    /**
     * A package to install.
     *
     * @param names    the names asked for that it satisfies
     * @param provides the extension names it makes available to {@code CREATE EXTENSION}
     */
    public record Package(String name, Source source, List<String> names, List<String> provides) {
    }

    /** A name with no package for this release and version, and why. */
    public record Missing(String name, String reason) {
    }

    public boolean complete() {
        return missing.isEmpty();
    }
}
