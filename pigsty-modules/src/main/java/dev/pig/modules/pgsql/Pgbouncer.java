package dev.pig.modules.pgsql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgDatabase;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgUser;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * PgBouncer next to each instance ({@code pgbouncer_enabled}, port {@code pgbouncer_port}):
 *
 * <pre>
 * pg_users:     [ { name: test, password: test, pgbouncer: true, pool_mode: session } ]
 * pg_databases: [ { name: test, pool_size: 64, pool_reserve: 32 } ]
 * pgb_hba_rules: [ { user: test, db: test, addr: 10.0.0.0/8, auth: pwd } ]
 * </pre>
 *
 * becomes {@code /etc/pgbouncer/pgbouncer.ini} with {@code userlist.txt}, {@code useropts.txt},
 * {@code database.txt} and {@code pgb_hba.conf} beside it. Users, databases and HBA rules are
 * applied with a reload; only a changed listen address, port or socket directory restarts it.
 * The userlist holds the verifiers PostgreSQL stores, so PgBouncer logs in to the server with
 * the client's own SCRAM proof and no plain password is written anywhere.
 */
final class Pgbouncer {
    static final String DIR = "/etc/pgbouncer";
    static final String INI = DIR + "/pgbouncer.ini";
    static final String USERLIST = DIR + "/userlist.txt";
    static final String USEROPTS = DIR + "/useropts.txt";
    static final String DATABASES = DIR + "/database.txt";
    static final String HBA = DIR + "/pgb_hba.conf";
    static final String UNIT = "pgbouncer.service";
    /** Settings a reload does not apply: pgbouncer binds its sockets when it starts. */
    static final List<String> RESTART_KEYS = List.of("listen_addr", "listen_port", "unix_socket_dir");

    private Pgbouncer() {
    }

    static List<Task> tasks(PgNode n) {
        ModuleContext ctx = n.ctx();
        PgCluster cluster = n.cluster();
        PgInstance me = n.me();
        HostVars v = n.v();
        PgCatalog stored = n.facts().catalog();
        String dbsu = v.str("pg_dbsu");
        List<Task> out = new ArrayList<>();
        out.add(new DirectoryTask(DIR, "0750", dbsu, dbsu, "pgbouncer_dir"));
        out.add(new DirectoryTask(v.str("pgbouncer_log_dir"), "0750", dbsu, dbsu, "pgbouncer_dir"));
        String ini = ctx.render("pgsql/pgbouncer.ini.ftl", ini(n));
        out.add(new FileTask(INI, ini.getBytes(StandardCharsets.UTF_8), "0640", dbsu, dbsu, "pgbouncer_config", false));
        out.add(ctx.file(DATABASES, "pgsql/pgbouncer-database.txt.ftl", Map.of("pg_instance", me.name(),
                "pg_databases", databases(cluster, v), "pg_localhost", v.str("pg_localhost"), "pg_port", me.port()),
                "0640", dbsu, dbsu, "pgbouncer_db", false));
        List<PgUser> users = users(cluster, v);
        out.add(ctx.file(USEROPTS, "pgsql/pgbouncer-useropts.txt.ftl", Map.of("pg_instance", me.name(), "pg_users", userOptions(users)),
                "0640", dbsu, dbsu, "pgbouncer_user", false));
        out.add(new Deferred("file " + USERLIST, "pgbouncer_user", b -> b.files(USERLIST).sections(stored.name()),
                (facts, pctx) -> ctx.file(USERLIST, "pgsql/pgbouncer-userlist.txt.ftl", Map.of("pg_users",
                        userlist(dbsu, users, v.str("pg_pwd_enc"), facts.extra(stored).stored())), "0600", dbsu, dbsu, "pgbouncer_user", true)));
        out.add(ctx.file(HBA, "pgsql/pgb_hba.conf.ftl", Map.of("pg_instance", me.name(), "pg_cluster", cluster.name(),
                "pgb_hba_rules", Hba.renderPgbouncer(cluster.pgbHbaRules(), me, n.hbaAliases())),
                "0640", dbsu, dbsu, "pgbouncer_hba", false));
        out.add(unit(ini));
        return out;
    }

    static Map<String, Object> ini(PgNode n) {
        HostVars v = n.v();
        Map<String, Object> m = new LinkedHashMap<>();
        String listen = n.listen();
        m.put("pg_instance", n.me().name());
        m.put("pg_cluster", n.cluster().name());
        m.put("listen_addr", listen.equals("0.0.0.0") ? "*" : listen);
        m.put("pgbouncer_port", v.integer("pgbouncer_port"));
        m.put("pg_localhost", v.str("pg_localhost"));
        m.put("pgbouncer_poolmode", v.str("pgbouncer_poolmode"));
        m.put("pgbouncer_auth_query", v.bool("pgbouncer_auth_query"));
        m.put("pg_dbsu", v.str("pg_dbsu"));
        m.put("admin_users", v.str("pg_dbsu") + ", " + v.str("pg_admin_username"));
        m.put("stats_users", v.str("pg_dbsu") + ", " + v.str("pg_monitor_username"));
        m.put("pgbouncer_log_dir", v.str("pgbouncer_log_dir"));
        m.put("pgbouncer_ignore_param", String.join(", ", v.strings("pgbouncer_ignore_param")));
        m.put("pgbouncer_sslmode", v.str("pgbouncer_sslmode"));
        m.put("cert_dir", "/pg/cert");
        return m;
    }

    /** The databases PgBouncer pools: those of pg_databases that exist and keep {@code pgbouncer: true}. */
    static List<Map<String, String>> databases(PgCluster cluster, HostVars v) {
        List<Map<String, String>> out = new ArrayList<>();
        for (PgDatabase d : cluster.databases()) {
            if (!d.pgbouncer() || d.state() == PgDatabase.State.ABSENT) {
                continue;
            }
            StringBuilder opts = new StringBuilder();
            d.poolMode().ifPresent(x -> opts.append(" pool_mode=").append(x));
            d.poolSize().ifPresent(x -> opts.append(" pool_size=").append(x));
            d.poolSizeMin().ifPresent(x -> opts.append(" min_pool_size=").append(x));
            d.poolSizeReserve().ifPresent(x -> opts.append(" reserve_pool=").append(x));
            d.poolMaxDbConn().ifPresent(x -> opts.append(" max_db_connections=").append(x));
            out.add(Map.of("name", d.name(), "options", opts.toString()));
        }
        return out;
    }

    /** Who may log in through PgBouncer: default roles and pg_users with {@code pgbouncer: true} and a password. */
    static List<PgUser> users(PgCluster cluster, HostVars v) {
        Map<String, PgUser> byName = new LinkedHashMap<>();
        List<PgUser> all = new ArrayList<>(Roles.defaults(v));
        all.addAll(cluster.users());
        for (PgUser u : all) {
            if (u.pgbouncer() && u.state() == PgUser.State.CREATE && u.password().isPresent()) {
                byName.put(u.name(), u);
            } else {
                byName.remove(u.name());
            }
        }
        return List.copyOf(byName.values());
    }

    static List<Map<String, String>> userOptions(List<PgUser> users) {
        List<Map<String, String>> out = new ArrayList<>();
        for (PgUser u : users) {
            StringBuilder opts = new StringBuilder();
            u.poolMode().ifPresent(x -> opts.append(" pool_mode=").append(x));
            u.poolConnlimit().ifPresent(x -> opts.append(" max_user_connections=").append(x));
            if (!opts.isEmpty()) {
                out.add(Map.of("name", u.name(), "options", opts.toString().strip()));
            }
        }
        return out;
    }

    /**
     * The userlist: the dbsu first, without a password (it reaches the admin console over the unix
     * socket by peer authentication only, as pgb_hba.conf says), then every pooled user.
     */
    static List<Map<String, String>> userlist(String dbsu, List<PgUser> users, String pwdEnc, Map<String, String> stored) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of("name", dbsu, "verifier", ""));
        for (PgUser u : users) {
            String pw = u.password().orElseThrow().reveal();
            String verifier = Passwords.userlistVerifier(u.name(), pw, pwdEnc, stored.get(u.name()));
            out.add(Map.of("name", u.name().replace("\"", "\"\""), "verifier", verifier.replace("\"", "\"\"")));
        }
        return out;
    }

    /**
     * pgbouncer.service: reloaded when its users, databases or HBA change, restarted only when a
     * setting it binds at start changes, and stopped never: clients stay connected.
     */
    private static Task unit(String rendered) {
        List<String> reloadOn = List.of(INI, USERLIST, USEROPTS, DATABASES, HBA);
        return new Deferred("unit " + UNIT, "pgbouncer_launch", b -> b.fileWithContent(INI).units(UNIT),
                (facts, pctx) -> new UnitTask(UNIT, true, true, needsRestart(facts, rendered) ? List.of(INI) : List.of(),
                        reloadOn, "pgbouncer_launch"));
    }

    /** Whether the ini on the host binds other sockets than the rendered one. */
    static boolean needsRestart(HostFacts facts, String rendered) {
        FileState f = facts.file(INI);
        Optional<byte[]> now = f.knownContent();
        if (now.isEmpty()) {
            return false;
        }
        return !bindings(new String(now.get(), StandardCharsets.UTF_8)).equals(bindings(rendered));
    }

    static Map<String, String> bindings(String ini) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : ini.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && RESTART_KEYS.contains(line.substring(0, eq).strip())) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }
}
