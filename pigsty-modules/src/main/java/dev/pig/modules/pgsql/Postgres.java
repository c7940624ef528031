package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.model.PgInstance;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.modules.HostVars;

/**
 * How pig reaches PostgreSQL on one instance: as the dbsu ({@code pg_dbsu}), over the unix socket
 * in {@code pg_localhost}, on the instance's port, with the binaries of {@code pg_version}. Every
 * command that runs as the dbsu is built here, from an argument list quoted word by word (no
 * command text is composed for another shell to parse), and SQL travels on the command's stdin,
 * never inside its text.
 *
 * <pre>{@code
 * Postgres pg = Postgres.of(vars, instance);
 * Step.Exec s = pg.sql("postgres", "ALTER ROLE ...;\n", shownSql, masker);  // psql reads it on stdin
 * String ready = pg.query("postgres", "SELECT 1");                          // a guard check
 * }</pre>
 *
 * @param dbsu      the OS user PostgreSQL runs as
 * @param home      its home, the HOME of its commands (pgBackRest and patronictl read files there)
 * @param socketDir where the server's unix socket is
 * @param port      the instance's port
 * @param binDir    the server binaries ({@code /usr/lib/postgresql/15/bin})
 * @param dataDir   {@code pg_data}
 */
public record Postgres(String dbsu, String home, String socketDir, int port, String binDir, String dataDir) {

    public static Postgres of(HostVars v, PgInstance me) {
        return new Postgres(v.str("pg_dbsu"), v.str("pg_dbsu_home"), v.str("pg_localhost"), me.port(),
                PgPackages.binDir(v.integer("pg_version")), v.str("pg_data"));
    }

    /**
     * A command run as the dbsu, from {@code /} (root's working directory is not the dbsu's to
     * read), with the dbsu's HOME. setpriv changes the user without a login session or a shell.
     */
    public String asDbsu(String... argv) {
        List<String> words = new ArrayList<>(List.of("setpriv", "--reuid=" + dbsu, "--regid=" + dbsu, "--init-groups", "--",
                "env", "HOME=" + home));
        words.addAll(List.of(argv));
        return "(cd / && exec " + Shell.join(words) + ")";
    }

    /** psql on {@code db} as the dbsu, reading its SQL on stdin, stopping at the first error. */
    public String psql(String db) {
        return asDbsu(binDir + "/psql", "-h", socketDir, "-p", String.valueOf(port), "-d", db, "-v", "ON_ERROR_STOP=1", "-AtXq");
    }

    /** A step running {@code sql} in {@code db}; {@code shownSql} is what plans show of it. */
    public Step.Exec sql(String db, String sql, String shownSql, Masker masker) {
        return Step.Exec.withInput(psql(db), sql, shownSql, masker);
    }

    /**
     * A one-line command printing the result of pig's own constant {@code sql} (never text from an
     * inventory or a host), for guard checks and waits: the query reaches psql through a pipe.
     */
    public String query(String db, String constantSql) {
        return "printf '%s\\n' " + Shell.quote(constantSql) + " | " + psql(db) + " 2>/dev/null";
    }

    /** Exits 0 when the server answers a query. */
    public String ready() {
        return query("postgres", "SELECT 1") + " >/dev/null";
    }

    /** Exits 0 when this instance streams WAL from an upstream. */
    public String streams() {
        return query("postgres", "SELECT status FROM pg_stat_wal_receiver") + " | grep -q streaming";
    }

    /** pg_ctl on the data directory as the dbsu. */
    public String pgctl(String... args) {
        List<String> words = new ArrayList<>(List.of(binDir + "/pg_ctl", "-D", dataDir));
        words.addAll(List.of(args));
        return asDbsu(words.toArray(String[]::new));
    }

    /** pgbackrest as the dbsu. */
    public String pgbackrest(String... args) {
        List<String> words = new ArrayList<>(List.of("pgbackrest"));
        words.addAll(List.of(args));
        return asDbsu(words.toArray(String[]::new));
    }

    /** A script of pig's (pg-backup) as the dbsu. */
    public String script(String path, String... args) {
        List<String> words = new ArrayList<>(List.of(path));
        words.addAll(List.of(args));
        return asDbsu(words.toArray(String[]::new));
    }

    /** patronictl as the dbsu, with the instance's patroni.yml. */
    public String patronictl(String... args) {
        List<String> words = new ArrayList<>(List.of("patronictl", "-c", Paths.PATRONI_CONF));
        words.addAll(List.of(args));
        return asDbsu(words.toArray(String[]::new));
    }

    /** A literal for SQL: {@code 'it''s'}. */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** An identifier for SQL: {@code "My ""Table"""}. */
    public static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
