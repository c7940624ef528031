package dev.pig.modules.pgsql;

import java.util.List;

import dev.pig.core.diag.PigException;

/**
 * Debian package names of one PostgreSQL major version. Bookworm ships 15; PGDG's repository
 * ships 13 to 18 under the same names, so adding it is a matter of repositories, not of names.
 *
 * <pre>
 * pg_version: 15
 * </pre>
 *
 * Extensions are {@link Extensions}' business.
 */
public final class PgPackages {
    static final int MIN = 13;
    static final int MAX = 18;

    private PgPackages() {
    }

    /** The server, its client, Patroni and its etcd client library. */
    public static List<String> server(int version) {
        check(version);
        return List.of("postgresql-" + version, "postgresql-client-" + version, "patroni", "python3-etcd", "python3-psycopg2");
    }

    /** The binaries of the version, as Debian installs them. */
    public static String binDir(int version) {
        check(version);
        return "/usr/lib/postgresql/" + version + "/bin";
    }

    private static void check(int version) {
        if (version < MIN || version > MAX) {
            throw new PigException(PigException.Kind.USAGE, "pg_version " + version + " is not supported: pig installs PostgreSQL "
                    + MIN + " to " + MAX);
        }
    }
}
