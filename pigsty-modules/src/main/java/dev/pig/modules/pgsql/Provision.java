package dev.pig.modules.pgsql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.DefaultPrivilege;
import dev.pig.core.model.PgDatabase;
import dev.pig.core.model.PgUser;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.modules.Entry;
import dev.pig.modules.HostVars;

/**
 * Plans the roles and databases of a cluster against its primary's catalog: each difference is
 * one change ({@code + role test}, {@code ~ role test: password}), each match a no-op that says
 * so. The SQL converges from any state (it checks before it creates), so a plan made before the
 * cluster ran still applies once it does.
 *
 * <p>The SQL of each change reaches psql on its stdin, names through {@link Postgres#ident} and
 * text through {@link Postgres#literal}: nothing of a name, a comment or a password is ever
 * shell text.
 *
 * @param pg     how to reach PostgreSQL on the leader
 * @param pwdEnc {@code pg_pwd_enc}
 * @param today  the day {@code expire_in} counts from
 */
public record Provision(Postgres pg, String pwdEnc, LocalDate today) {

    public Provision(Postgres pg, String pwdEnc) {
        this(pg, pwdEnc, LocalDate.now());
    }

    /**
     * The roles ({@code pg_default_roles}, {@code pg_users}), the default privileges of every
     * database, and the databases ({@code pg_databases}) of {@code n}'s cluster, each planned on
     * the leader against its catalog.
     */
    static List<Staged> tasks(PgNode n) {
        HostVars v = n.v();
        PgCatalog catalog = n.facts().catalog();
        Provision p = new Provision(n.pg(), v.str("pg_pwd_enc"));
        List<Staged> out = new ArrayList<>();
        List<PgUser> roles = new ArrayList<>(Roles.defaults(v));
        roles.addAll(n.cluster().users());
        for (PgUser u : roles) {
            out.add(Stage.of(8, "roles", new Entry(u.name(), onLeader(n, "role " + u.name(), "pg_user",
                    (cat, name) -> p.role(name, "pg_user", u, cat)))));
        }
        // objects these make get pg_default_privileges; other admins SET ROLE dbrole_admin first, as in Pigsty
        List<String> creators = new ArrayList<>(new LinkedHashSet<>(List.of(v.str("pg_dbsu"), v.str("pg_admin_username"), "dbrole_admin")));
        List<DefaultPrivilege> privileges = v.strings("pg_default_privileges").stream().map(DefaultPrivilege::parse).toList();
        List<String> privilegeDbs = new ArrayList<>(List.of("template1", "postgres"));
        for (PgDatabase d : n.cluster().databases()) {
            if (!privilegeDbs.contains(d.name())) {
                privilegeDbs.add(d.name());
            }
        }
        for (String db : privilegeDbs) {
            Optional<PgDatabase> entry = n.cluster().databases().stream().filter(d -> d.name().equals(db)).findFirst();
            out.add(Stage.of(8, "roles", onLeader(n, "default privileges in " + db, "pg_privilege", (cat, name) -> {
                if (entry.isPresent() && entry.get().state() == PgDatabase.State.ABSENT) {
                    return new Change.NoOp(name, "pg_privilege", "database " + db + " is to be absent");
                }
                if (entry.isPresent() && (cat.database(db).isEmpty() || entry.get().state() == PgDatabase.State.RECREATE)) {
                    return new Change.NoOp(name, "pg_privilege", "database " + db + " gets them when it is created");
                }
                return p.defaultPrivileges(name, "pg_privilege", db, privileges, creators, cat);
            })));
        }
        List<Ext> exts = new ArrayList<>();
        for (Object o : v.raw("pg_default_extensions") instanceof List<?> l ? l : List.of()) {
            if (o instanceof Map<?, ?> m) {
                exts.add(new Ext(String.valueOf(m.get("name")), m.get("schema") == null ? "" : String.valueOf(m.get("schema"))));
            }
        }
        Defaults defaults = new Defaults(v.strings("pg_default_schemas"), exts, privileges, creators);
        for (PgDatabase d : n.cluster().databases()) {
            out.add(Stage.of(9, "databases", new Entry(d.name(), onLeader(n, "database " + d.name(), "pg_db",
                    (cat, name) -> p.database(name, "pg_db", d, defaults, baseline(n, d, cat), cat)))));
        }
        return out;
    }

    /** Planned on the leader against its catalog; elsewhere a no-op naming the leader. */
    private static Task onLeader(PgNode n, String name, String tag, BiFunction<PgCatalog.View, String, Change> plan) {
        PgCatalog catalog = n.facts().catalog();
        return Leader.only(n, name, tag, b -> b.sections(catalog.name()), (facts, ctx) -> new Planned(name, tag, facts.extra(catalog), plan));
    }

    /** A change already decided from the catalog, as a task. */
    private record Planned(String name, String tag, PgCatalog.View cat, BiFunction<PgCatalog.View, String, Change> plan) implements Task {
        @Override
        public void require(dev.pig.core.fact.FactRequest.Builder facts) {
            // the gate asked for the catalog
        }

        @Override
        public Change plan(dev.pig.core.fact.HostFacts facts, dev.pig.core.task.PlanContext ctx) {
            return plan.apply(cat, name);
        }
    }

    /**
     * The baseline file of a database, read at plan time when the database is to be created;
     * a file the inventory names but that is not there fails the plan, since the database
     * cannot be made as declared (inventory loading warns about it already).
     */
    static Optional<Baseline> baseline(PgNode n, PgDatabase d, PgCatalog.View cat) {
        boolean created = d.state() == PgDatabase.State.RECREATE
                || d.state() == PgDatabase.State.CREATE && cat.database(d.name()).isEmpty();
        if (d.baseline().isEmpty() || !created) {
            return Optional.empty();
        }
        Path file = Path.of(d.baseline().get());
        try {
            return Optional.of(new Baseline(file.getFileName().toString(), Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "database " + d.name() + ": its baseline " + d.baseline().get()
                    + " cannot be read (" + e.getClass().getSimpleName() + "): put the file there, or drop 'baseline' from the entry in "
                    + n.ctx().model().file());
        }
    }

    /** A default schema or extension every business database gets ({@code pg_default_extensions}). */
    public record Ext(String name, String schema, boolean optional) {
        public Ext(String name, String schema) {
            this(name, schema, true);
        }
    }

    /** The change for one role (a {@code pg_default_roles} or {@code pg_users} entry). */
    public Change role(String task, String tag, PgUser u, PgCatalog.View cat) {
        Optional<PgCatalog.Role> now = cat.role(u.name());
        if (u.state() == PgUser.State.ABSENT) {
            if (now.isEmpty()) {
                return new Change.NoOp(task, tag, "role " + u.name() + " does not exist");
            }
            String sql = "DROP ROLE IF EXISTS " + ident(u.name()) + ";\n";
            return act(task, tag, Action.DELETE, "role " + u.name(), sql, sql);
        }
        List<String> diffs = new ArrayList<>();
        if (now.isPresent()) {
            PgCatalog.Role r = now.get();
            flag(diffs, "login", u.login(), r.login());
            flag(diffs, "superuser", u.superuser(), r.superuser());
            flag(diffs, "createdb", u.createdb(), r.createdb());
            flag(diffs, "createrole", u.createrole(), r.createrole());
            flag(diffs, "inherit", u.inherit(), r.inherit());
            if (!u.superuser()) {
                // a superuser may replicate and bypasses RLS whatever these say
                flag(diffs, "replication", u.replication(), r.replication());
                flag(diffs, "bypassrls", u.bypassrls(), r.bypassrls());
            }
            if (u.connlimit() != r.connlimit()) {
                diffs.add("connlimit " + r.connlimit() + " -> " + u.connlimit());
            }
            String until = validUntil(u);
            String had = r.validUntil().isEmpty() ? NEVER : r.validUntil();
            if (!until.equals(had)) {
                diffs.add("valid until " + shownDay(had) + " -> " + shownDay(until));
            }
            if (u.password().isPresent() && !Passwords.matches(r.password(), u.name(), u.password().get().reveal())) {
                diffs.add("password");
            } else if (weakVerifier(u, r)) {
                diffs.add("password (md5 -> scram-sha-256)");
            }
            for (String g : u.roles()) {
                if (!r.memberOf().contains(g)) {
                    diffs.add("+member of " + g);
                }
            }
            if (!u.comment().isEmpty() && !u.comment().equals(r.comment())) {
                diffs.add("comment");
            }
            u.parameters().forEach((k, x) -> {
                if (!String.valueOf(x).equals(r.settings().get(k))) {
                    diffs.add("set " + k);
                }
            });
            if (diffs.isEmpty()) {
                String same = "role " + u.name() + " exists with the same attributes";
                if (u.expireIn().isPresent()) {
                    same += "; it expires on " + until + ", expire_in " + u.expireIn().get() + " days from today ("
                            + today + "): a run on a later day moves that date";
                }
                return new Change.NoOp(task, tag, same);
            }
        }
        StringBuilder sql = new StringBuilder();
        StringBuilder shown = new StringBuilder();
        String create = "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = " + lit(u.name()) + ") THEN CREATE ROLE "
                + ident(u.name()) + "; END IF; END$$;\n";
        sql.append(create);
        shown.append(create);
        String alter = "ALTER ROLE " + ident(u.name()) + " WITH " + (u.login() ? "LOGIN" : "NOLOGIN")
                + (u.superuser() ? " SUPERUSER" : " NOSUPERUSER") + (u.createdb() ? " CREATEDB" : " NOCREATEDB")
                + (u.createrole() ? " CREATEROLE" : " NOCREATEROLE") + (u.inherit() ? " INHERIT" : " NOINHERIT")
                + (u.superuser() ? "" : (u.replication() ? " REPLICATION" : " NOREPLICATION") + (u.bypassrls() ? " BYPASSRLS" : " NOBYPASSRLS"))
                + " CONNECTION LIMIT " + u.connlimit();
        String until = validUntil(u);
        if (!until.equals(NEVER) || now.isPresent() && !now.get().validUntil().isEmpty()) {
            // 'infinity' lifts an expiry the inventory no longer sets
            alter += " VALID UNTIL " + lit(until);
        }
        sql.append(alter);
        shown.append(alter);
        boolean setPassword = u.password().isPresent()
                && (now.isEmpty() || !Passwords.matches(now.get().password(), u.name(), u.password().get().reveal())
                || weakVerifier(u, now.get()));
        if (setPassword) {
            sql.append(" PASSWORD ").append(lit(Passwords.verifier(u.name(), u.password().get().reveal(), pwdEnc)));
            shown.append(" PASSWORD '***'");
        }
        sql.append(";\n");
        shown.append(";\n");
        for (String g : u.roles()) {
            String grant = "GRANT " + ident(g) + " TO " + ident(u.name()) + ";\n";
            sql.append(grant);
            shown.append(grant);
        }
        for (Map.Entry<String, Object> p : u.parameters().entrySet()) {
            String set = "ALTER ROLE " + ident(u.name()) + " SET " + ident(p.getKey()) + " = " + lit(String.valueOf(p.getValue())) + ";\n";
            sql.append(set);
            shown.append(set);
        }
        if (!u.comment().isEmpty()) {
            String c = "COMMENT ON ROLE " + ident(u.name()) + " IS " + lit(u.comment()) + ";\n";
            sql.append(c);
            shown.append(c);
        }
        return now.isEmpty() ? act(task, tag, Action.CREATE, "role " + u.name(), sql.toString(), shown.toString())
                : act(task, tag, Action.UPDATE, "role " + u.name() + ": " + String.join(", ", diffs), sql.toString(), shown.toString());
    }

    /**
     * What every business database gets: {@code pg_default_schemas}, {@code pg_default_extensions},
     * and, when it is created, {@code pg_default_privileges} for the {@code creators}.
     */
    public record Defaults(List<String> schemas, List<Ext> extensions, List<DefaultPrivilege> privileges, List<String> creators) {
        public Defaults(List<String> schemas, List<Ext> extensions) {
            this(schemas, extensions, List.of(), List.of());
        }
    }

    /**
     * A database's {@code baseline} SQL file, run in the database right after it is created, in
     * the same psql session (its text follows the creation on psql's stdin), and never again.
     *
     * @param source the file as the inventory names it, for the plan
     */
    public record Baseline(String source, byte[] content) {
    }

    /** The change for one {@code pg_databases} entry, with the default schemas and extensions it gets. */
    public Change database(String task, String tag, PgDatabase d, List<String> defaultSchemas, List<Ext> defaultExts,
                           PgCatalog.View cat) {
        return database(task, tag, d, new Defaults(defaultSchemas, defaultExts), Optional.empty(), cat);
    }

    /**
     * The change for one {@code pg_databases} entry. A database that is created (or recreated)
     * gets its schemas, extensions, default privileges and then its baseline in the same psql
     * session, so the baseline runs exactly once per creation.
     */
    public Change database(String task, String tag, PgDatabase d, Defaults defaults, Optional<Baseline> baseline, PgCatalog.View cat) {
        List<String> defaultSchemas = defaults.schemas();
        List<Ext> defaultExts = defaults.extensions();
        Optional<PgCatalog.Database> now = cat.database(d.name());
        if (d.state() == PgDatabase.State.ABSENT) {
            if (now.isEmpty()) {
                return new Change.NoOp(task, tag, "database " + d.name() + " does not exist");
            }
            String sql = "DROP DATABASE IF EXISTS " + ident(d.name()) + " WITH (FORCE);\n";
            return act(task, tag, Action.DELETE, "database " + d.name(), sql, sql);
        }
        // recreate, as in Pigsty: dropped and made again on every run that includes it
        boolean recreate = d.state() == PgDatabase.State.RECREATE && now.isPresent();
        if (recreate) {
            now = Optional.empty();
        }
        List<String> schemas = new ArrayList<>(defaultSchemas);
        d.schemas().stream().filter(s -> !schemas.contains(s)).forEach(schemas::add);
        List<Ext> exts = new ArrayList<>();
        for (Ext e : defaultExts) {
            // a default extension whose package is not installed is left out, as Pigsty does
            if (!cat.primary() || cat.available().contains(e.name())) {
                exts.add(e);
            }
        }
        d.extensions().forEach(e -> exts.add(new Ext(e.name(), e.schema().orElse(""), false)));
        List<String> diffs = new ArrayList<>();
        if (now.isPresent()) {
            PgCatalog.Database db = now.get();
            d.owner().filter(o -> !o.equals(db.owner())).ifPresent(o -> diffs.add("owner " + db.owner() + " -> " + o));
            if (d.connlimit() != db.connlimit()) {
                diffs.add("connlimit " + db.connlimit() + " -> " + d.connlimit());
            }
            if (!d.comment().isEmpty() && !d.comment().equals(db.comment())) {
                diffs.add("comment");
            }
            schemas.stream().filter(s -> !db.schemas().contains(s)).forEach(s -> diffs.add("+schema " + s));
            exts.stream().filter(e -> !db.extensions().containsKey(e.name())).forEach(e -> diffs.add("+extension " + e.name()));
            if (diffs.isEmpty()) {
                return new Change.NoOp(task, tag, "database " + d.name() + " exists with the same owner, schemas and extensions");
            }
        }
        StringBuilder sql = new StringBuilder();
        if (recreate) {
            sql.append("DROP DATABASE IF EXISTS ").append(ident(d.name())).append(" WITH (FORCE);\n");
        }
        boolean create = now.isEmpty();
        if (create) {
            // planned from a catalog that lacks it: a re-plan after a partial run sees it
            sql.append("CREATE DATABASE ").append(ident(d.name()));
            d.owner().ifPresent(o -> sql.append(" OWNER ").append(ident(o)));
            sql.append(" TEMPLATE ").append(ident(d.template().orElse("template1")));
            d.encoding().ifPresent(e -> sql.append(" ENCODING ").append(lit(e)));
            if (d.locale().isPresent()) {
                sql.append(" LOCALE ").append(lit(d.locale().get())); // LOCALE sets both; PostgreSQL refuses it with either
            } else {
                d.lcCollate().ifPresent(l -> sql.append(" LC_COLLATE ").append(lit(l)));
                d.lcCtype().ifPresent(l -> sql.append(" LC_CTYPE ").append(lit(l)));
            }
            d.tablespace().ifPresent(t -> sql.append(" TABLESPACE ").append(ident(t)));
            sql.append(" CONNECTION LIMIT ").append(d.connlimit()).append(";\n");
        } else {
            d.owner().ifPresent(o -> sql.append("ALTER DATABASE ").append(ident(d.name())).append(" OWNER TO ").append(ident(o)).append(";\n"));
            sql.append("ALTER DATABASE ").append(ident(d.name())).append(" CONNECTION LIMIT ").append(d.connlimit()).append(";\n");
        }
        if (!d.comment().isEmpty()) {
            sql.append("COMMENT ON DATABASE ").append(ident(d.name())).append(" IS ").append(lit(d.comment())).append(";\n");
        }
        sql.append("\\connect ").append(ident(d.name())).append("\n");
        if (create) {
            // as in Pigsty: objects are made by dbrole_admin (and its members), not by every role
            sql.append("REVOKE CREATE ON DATABASE ").append(ident(d.name())).append(" FROM PUBLIC;\n")
                    .append("GRANT CREATE ON DATABASE ").append(ident(d.name())).append(" TO dbrole_admin;\n")
                    .append("REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n")
                    .append("GRANT CREATE ON SCHEMA public TO dbrole_admin;\n");
        }
        for (String s : schemas) {
            sql.append("CREATE SCHEMA IF NOT EXISTS ").append(ident(s));
            d.owner().ifPresent(o -> sql.append(" AUTHORIZATION ").append(ident(o)));
            sql.append(";\n");
        }
        for (Ext e : exts) {
            String ext = "CREATE EXTENSION IF NOT EXISTS " + ident(e.name()) + (e.schema().isEmpty() ? "" : " SCHEMA " + ident(e.schema()));
            if (e.optional()) {
                // a default extension is made only where its package is installed
                sql.append("DO $$BEGIN IF EXISTS (SELECT FROM pg_available_extensions WHERE name = ").append(lit(e.name()))
                        .append(") THEN ").append(ext).append("; END IF; END$$;\n");
            } else {
                sql.append(ext).append(";\n");
            }
        }
        String extra = "";
        String shown = null;
        if (create) {
            sql.append(defaultPrivilegesSql(defaults.privileges(), defaults.creators()));
            if (baseline.isPresent()) {
                Baseline b = baseline.get();
                shown = sql + "-- baseline " + b.source() + " (" + b.content().length + " bytes)\n";
                String text = new String(b.content(), java.nio.charset.StandardCharsets.UTF_8);
                sql.append(text).append(text.endsWith("\n") ? "" : "\n");
                extra = " with baseline " + b.source();
            }
        }
        String s = sql.toString();
        String show = shown == null ? s : shown;
        if (recreate) {
            return act(task, tag, Action.UPDATE, "database " + d.name() + ": recreate (state: recreate drops it and creates it again)" + extra,
                    s, show);
        } else if (create) {
            return act(task, tag, Action.CREATE, "database " + d.name() + extra, s, show);
        }
        return act(task, tag, Action.UPDATE, "database " + d.name() + ": " + String.join(", ", diffs), s, show);
    }

    /**
     * {@code pg_default_privileges} in one database, for objects each of {@code creators} makes
     * there (the dbsu, the admin user and dbrole_admin, as in Pigsty): each wanted grant is
     * compared with that database's {@code pg_default_acl}, and only the statements of a
     * creator that lacks a grant are run. Default privileges are per database: template1 passes
     * them on to the databases made from it later.
     */
    public Change defaultPrivileges(String task, String tag, String database, List<DefaultPrivilege> privileges, List<String> creators,
                                    PgCatalog.View cat) {
        Set<PgCatalog.DefaultAcl> have = cat.defaultAcls(database);
        int wanted = 0;
        int missing = 0;
        Set<String> lacking = new LinkedHashSet<>();
        StringBuilder sql = new StringBuilder("\\connect ").append(ident(database)).append('\n');
        for (String who : creators) {
            for (DefaultPrivilege p : privileges) {
                int gaps = 0;
                for (String grantee : p.grantees()) {
                    for (String priv : p.privileges()) {
                        wanted++;
                        boolean set = have.contains(new PgCatalog.DefaultAcl(who, p.objtype(), grantee, priv, true))
                                || !p.grantOption() && have.contains(new PgCatalog.DefaultAcl(who, p.objtype(), grantee, priv, false));
                        if (!cat.primary() || !set) {
                            gaps++;
                        }
                    }
                }
                if (gaps > 0) {
                    missing += gaps;
                    lacking.add(who);
                    sql.append("ALTER DEFAULT PRIVILEGES FOR ROLE ").append(ident(who)).append(' ').append(p.statement()).append(";\n");
                }
            }
        }
        if (missing == 0) {
            return new Change.NoOp(task, tag, "default privileges in " + database + " are set: " + wanted + " grants for "
                    + String.join(", ", creators));
        }
        String s = sql.toString();
        return act(task, tag, Action.UPDATE, "default privileges in " + database + ": " + missing + " of " + wanted
                + " grants missing (for " + String.join(", ", lacking) + ")", s, s);
    }

    /** The statements that give a new database the default privileges, after {@code \connect} to it. */
    static String defaultPrivilegesSql(List<DefaultPrivilege> privileges, List<String> creators) {
        StringBuilder sql = new StringBuilder();
        for (String who : creators) {
            for (DefaultPrivilege p : privileges) {
                sql.append("ALTER DEFAULT PRIVILEGES FOR ROLE ").append(ident(who)).append(' ').append(p.statement()).append(";\n");
            }
        }
        return sql.toString();
    }

    private Change act(String task, String tag, Action a, String summary, String sql, String shown) {
        String psql = pg.psql("postgres");
        return new Change.Act(task, tag, a, summary, List.of(new Step.Exec(psql, psql, sql, shown)), "");
    }

    static final String NEVER = "infinity";

    private static String shownDay(String day) {
        return day.equals(NEVER) ? "never" : day;
    }

    /**
     * The day a role expires on, as {@code rolvaliduntil} is compared: {@code expire_in} days
     * from today (it wins over {@code expire_at}, as in Pigsty), else {@code expire_at}, else
     * never. Days, not instants: a run later the same day finds the same date.
     */
    String validUntil(PgUser u) {
        if (u.expireIn().isPresent()) {
            return today.plusDays(u.expireIn().get()).toString();
        }
        return u.expireAt().map(d -> LocalDate.parse(d).toString()).orElse(NEVER);
    }

    /**
     * An md5 verifier that matches the plain password of the inventory while {@code pg_pwd_enc}
     * asks for scram-sha-256: stored again as scram, or it would stay md5 forever. A verifier given
     * in the inventory is stored as it is.
     */
    private boolean weakVerifier(PgUser u, PgCatalog.Role r) {
        return pwdEnc.equals("scram-sha-256") && r.password().startsWith("md5") && u.password().isPresent()
                && !Passwords.isHashed(u.password().get().reveal());
    }

    private static void flag(List<String> diffs, String name, boolean want, boolean have) {
        if (want != have) {
            diffs.add((want ? "" : "no") + name);
        }
    }

    static String ident(String s) {
        return Postgres.ident(s);
    }

    static String lit(String s) {
        return Postgres.literal(s);
    }

    /** A PgUser from one {@code pg_default_roles} entry, with the password Pigsty gives it. */
    static PgUser defaultRole(Map<String, Object> m, Optional<dev.pig.core.model.Secret> password) {
        List<String> roles = new ArrayList<>();
        if (m.get("roles") instanceof List<?> l) {
            l.forEach(x -> roles.add(String.valueOf(x)));
        }
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        if (m.get("parameters") instanceof Map<?, ?> pm) {
            pm.forEach((k, x) -> params.put(String.valueOf(k), x));
        }
        return new PgUser(String.valueOf(m.get("name")), password, bool(m, "login", true), bool(m, "superuser", false),
                bool(m, "createdb", false), bool(m, "createrole", false), bool(m, "inherit", true),
                bool(m, "replication", false), bool(m, "bypassrls", false),
                m.get("connlimit") instanceof Number n ? n.intValue() : -1, Optional.empty(), Optional.empty(), roles, params,
                m.get("comment") == null ? "" : String.valueOf(m.get("comment")), bool(m, "pgbouncer", false),
                Optional.ofNullable(m.get("pool_mode")).map(String::valueOf),
                m.get("pool_connlimit") instanceof Number n ? Optional.of(n.intValue()) : Optional.empty(),
                PgUser.State.CREATE);
    }

    private static boolean bool(Map<String, Object> m, String k, boolean dflt) {
        Object v = m.get(k);
        return v instanceof Boolean b ? b : dflt;
    }
}
