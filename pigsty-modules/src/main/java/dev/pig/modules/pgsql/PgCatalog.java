package dev.pig.modules.pgsql;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.ClusterSection;
import dev.pig.core.ssh.Shell;

/**
 * What the local PostgreSQL of a cluster's member says, read in one psql session as the dbsu:
 * whether it runs and is in recovery, the settings a restart applies ({@code context =
 * 'postmaster'}) and those waiting for one ({@code pending_restart}), the password verifiers of
 * its login roles (a replica has the primary's); and on a primary its catalog: roles with their
 * attributes, memberships and settings, databases, the extensions available, and the schemas,
 * extensions and global default privileges of each database (template1's too).
 *
 * <p>Every database is read in the same session: a query writes one {@code \connect} per database
 * to a file of the dbsu's, quoting each name for psql and for libpq in SQL, and psql includes
 * that file. No name read from the server ever becomes shell text, and every row is a JSON array,
 * so a name with a {@code |}, a quote or a newline parses as it is. A database whose name holds a
 * control character cannot be named to {@code \connect} safely: it is listed as unread.
 */
public final class PgCatalog extends ClusterSection<PgCatalog.View> {
    static final String KIND = "pgsql.catalog";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A role as {@code pg_authid} has it; {@code password} is the stored verifier or empty,
     * {@code validUntil} the day {@code rolvaliduntil} falls on (the server's time zone),
     * {@code infinity}, or empty for none.
     */
    public record Role(String name, boolean superuser, boolean inherit, boolean createrole, boolean createdb, boolean login,
                       boolean replication, boolean bypassrls, int connlimit, String password, Set<String> memberOf,
                       String comment, Map<String, String> settings, String validUntil) {
    }

    /** A database with the schemas and extensions (name -> schema) found in it. */
    public record Database(String name, String owner, String encoding, String collate, int connlimit, String comment,
                           Set<String> schemas, Map<String, String> extensions) {
    }

    /**
     * One privilege of a global {@code pg_default_acl} entry of a database, as {@code aclexplode}
     * gives it: objects {@code creator} makes of {@code objtype} grant {@code privilege} to
     * {@code grantee} ({@code PUBLIC} for everyone).
     */
    public record DefaultAcl(String creator, char objtype, String grantee, String privilege, boolean grantable) {
    }

    /**
     * @param answered    the local PostgreSQL answered the whole session in one role (its first
     *                    and last rows agree); without it the rest is empty
     * @param primary     it answered and is not in recovery; the catalog is read only then
     * @param restartOnly settings PostgreSQL reads only when it starts
     * @param pending     settings changed in the config files that wait for a restart
     * @param stored      the stored password verifier of each login role that has one
     * @param defaultAcls the global default privileges of each database read (template1 included)
     * @param unread      databases whose objects could not be read (a control character in the name)
     * @param preloaded   the libraries the running server has preloaded ({@code shared_preload_libraries})
     */
    public record View(boolean answered, boolean primary, Set<String> restartOnly, Set<String> pending,
                       Map<String, String> stored, Map<String, Role> roles, Map<String, Database> databases,
                       Set<String> available, Map<String, Set<DefaultAcl>> defaultAcls, Set<String> unread, Set<String> preloaded) {
        public Optional<Role> role(String name) {
            return Optional.ofNullable(roles.get(name));
        }

        public Optional<Database> database(String name) {
            return Optional.ofNullable(databases.get(name));
        }

        /** The default privileges set in {@code database}; empty when none are, or it was not read. */
        public Set<DefaultAcl> defaultAcls(String database) {
            return defaultAcls.getOrDefault(database, Set.of());
        }

        static View none() {
            return new View(false, false, Set.of(), Set.of(), Map.of(), Map.of(), Map.of(), Set.of(), Map.of(), Set.of(), Set.of());
        }
    }

    public PgCatalog(String cluster, Postgres pg) {
        super(KIND, cluster, script(pg));
    }

    public static String nameOf(String cluster) {
        return ClusterSection.nameOf(KIND, cluster);
    }

    /** The queries of each database, run after each {@code \connect}. */
    static final String EACH_DATABASE = String.join("\n",
            "SELECT json_build_array('schema', current_database(), nspname)::text FROM pg_namespace"
                    + " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema';",
            "SELECT json_build_array('ext', current_database(), e.extname, n.nspname)::text FROM pg_extension e"
                    + " JOIN pg_namespace n ON n.oid = e.extnamespace;",
            "SELECT json_build_array('defacl', current_database(), pg_get_userbyid(d.defaclrole), d.defaclobjtype,"
                    + " CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable)::text"
                    + " FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE d.defaclnamespace = 0;");

    /** The psql script of the session; {@code PIG_DIR} in its environment is a directory of the dbsu's. */
    static String session(Postgres pg) {
        return String.join("\n",
                "\\set ON_ERROR_STOP 0",
                "\\set pig_dir `printf '%s' \"$PIG_DIR\"`",
                "\\set pig_host " + psqlArg(pg.socketDir()),
                "\\set pig_port " + psqlArg(String.valueOf(pg.port())),
                "\\set pig_each " + psqlArg(EACH_DATABASE),
                "SELECT json_build_array('state', pg_is_in_recovery())::text;",
                "SELECT json_build_array('setting', name, context, pending_restart)::text FROM pg_settings"
                        + " WHERE context = 'postmaster' OR pending_restart;",
                "SELECT json_build_array('preload', current_setting('shared_preload_libraries'))::text;",
                "SELECT json_build_array('pw', rolname, rolpassword)::text FROM pg_authid WHERE rolcanlogin AND rolpassword IS NOT NULL;",
                // the catalog of a primary only: a replica's is its primary's, a step behind
                "SELECT json_build_array('role', r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,"
                        + " r.rolreplication, r.rolbypassrls, r.rolconnlimit, coalesce(r.rolpassword, ''),"
                        + " coalesce((SELECT json_agg(g.rolname ORDER BY g.rolname) FROM pg_auth_members m"
                        + " JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid), '[]'::json),"
                        + " coalesce(shobj_description(r.oid, 'pg_authid'), ''),"
                        + " coalesce((SELECT to_json(s.setconfig) FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0),"
                        + " '[]'::json),"
                        + " coalesce(CASE WHEN r.rolvaliduntil = 'infinity' THEN 'infinity' ELSE to_char(r.rolvaliduntil, 'YYYY-MM-DD') END,"
                        + " ''))::text FROM pg_authid r WHERE r.rolname !~ '^pg_' AND NOT pg_is_in_recovery();",
                "SELECT json_build_array('db', d.datname, pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate,"
                        + " d.datconnlimit, coalesce(shobj_description(d.oid, 'pg_database'), ''))::text FROM pg_database d"
                        + " WHERE NOT d.datistemplate AND NOT pg_is_in_recovery();",
                "SELECT json_build_array('avail', name)::text FROM pg_available_extensions WHERE NOT pg_is_in_recovery();",
                "SELECT json_build_array('unread', datname)::text FROM pg_database WHERE datallowconn AND datname ~ '[[:cntrl:]]'"
                        + " AND NOT pg_is_in_recovery();",
                // one \connect per database: each value quoted for libpq, the whole as a double-quoted
                // identifier (psql strips double quotes from \connect's arguments), then as a
                // single-quoted psql argument
                "\\o :pig_dir/each.psql",
                "SELECT format(E'\\\\connect %s\\n%s', '''' || replace(replace('\"' || replace(ci, '\"', '\"\"') || '\"', '\\', '\\\\'),"
                        + " '''', '''''') || '''', :'pig_each')"
                        + " FROM (SELECT format('host=%s port=%s dbname=%s', " + conninfoValue(":'pig_host'") + ", :'pig_port', "
                        + conninfoValue("datname") + ") AS ci FROM pg_database WHERE datallowconn"
                        + " AND (NOT datistemplate OR datname = 'template1') AND datname !~ '[[:cntrl:]]' AND NOT pg_is_in_recovery()"
                        + " ORDER BY datname) d;",
                "\\o",
                "\\i :pig_dir/each.psql",
                // the session's last row: without it, or with another role than the first row's, the
                // session was cut short (PostgreSQL restarted, promoted or demoted while it read)
                "SELECT json_build_array('end', pg_is_in_recovery())::text;",
                "");
    }

    /** SQL quoting {@code expr} as a libpq connection value: {@code 'it\'s'}. */
    private static String conninfoValue(String expr) {
        return "'''' || replace(replace(" + expr + ", '\\', '\\\\'), '''', '\\''') || ''''";
    }

    /** A psql meta-command argument holding {@code s} exactly: single quotes, with psql's escapes. */
    static String psqlArg(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("''");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    private static String script(Postgres pg) {
        return "[ -x " + Shell.quote(pg.binDir() + "/psql") + " ] && id -u " + Shell.quote(pg.dbsu()) + " >/dev/null 2>&1 || exit 0\n"
                + "PIG_DIR=$( " + pg.asDbsu("mktemp", "-d", "/tmp/pig-catalog.XXXXXX") + ") || exit 0\n"
                + "export PIG_DIR\n"
                + "printf '%s\\n' " + Shell.quote(session(pg)) + " | " + pg.asDbsu(pg.binDir() + "/psql", "-h", pg.socketDir(), "-p",
                String.valueOf(pg.port()), "-d", "postgres", "-AtXq") + "\n"
                + "rm -rf -- \"$PIG_DIR\"\n";
    }

    @Override
    public View parse(String output) {
        boolean answered = false;
        boolean inRecovery = false;
        Boolean endedInRecovery = null;
        Set<String> restartOnly = new TreeSet<>();
        Set<String> pending = new TreeSet<>();
        Map<String, String> stored = new LinkedHashMap<>();
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, JsonNode> dbs = new LinkedHashMap<>();
        Map<String, Set<String>> schemas = new LinkedHashMap<>();
        Map<String, Map<String, String>> exts = new LinkedHashMap<>();
        Set<String> avail = new LinkedHashSet<>();
        Set<String> unread = new LinkedHashSet<>();
        Set<String> preloaded = new LinkedHashSet<>();
        Map<String, Set<DefaultAcl>> defacl = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("[")) {
                continue;
            }
            JsonNode f;
            try {
                f = JSON.readTree(line);
            } catch (IOException e) {
                continue; // a row cut short: the rest still counts
            }
            switch (f.path(0).asText()) {
                case "state" -> {
                    answered = true;
                    inRecovery = f.path(1).asBoolean();
                }
                case "end" -> endedInRecovery = f.path(1).asBoolean();
                case "setting" -> {
                    if (f.path(2).asText().equals("postmaster")) {
                        restartOnly.add(f.path(1).asText());
                    }
                    if (f.path(3).asBoolean()) {
                        pending.add(f.path(1).asText());
                    }
                }
                case "preload" -> {
                    for (String lib : f.path(1).asText().split(",")) {
                        if (!lib.isBlank()) {
                            preloaded.add(lib.strip().replace("\"", ""));
                        }
                    }
                }
                case "pw" -> stored.put(f.path(1).asText(), f.path(2).asText().strip());
                case "role" -> roles.put(f.path(1).asText(), role(f));
                case "db" -> dbs.put(f.path(1).asText(), f);
                case "schema" -> schemas.computeIfAbsent(f.path(1).asText(), k -> new LinkedHashSet<>()).add(f.path(2).asText());
                case "ext" -> exts.computeIfAbsent(f.path(1).asText(), k -> new LinkedHashMap<>()).put(f.path(2).asText(), f.path(3).asText());
                case "avail" -> avail.add(f.path(1).asText());
                case "unread" -> unread.add(f.path(1).asText());
                case "defacl" -> {
                    String type = f.path(3).asText();
                    if (type.length() == 1) {
                        defacl.computeIfAbsent(f.path(1).asText(), k -> new LinkedHashSet<>()).add(new DefaultAcl(f.path(2).asText(),
                                type.charAt(0), f.path(4).asText(), f.path(5).asText(), f.path(6).asBoolean()));
                    }
                }
                default -> { }
            }
        }
        if (!answered || endedInRecovery == null || endedInRecovery != inRecovery) {
            // an empty catalog read as "nothing exists" would plan every role and database anew
            return View.none();
        }
        boolean primary = !inRecovery;
        Map<String, Database> out = new LinkedHashMap<>();
        dbs.forEach((name, f) -> out.put(name, new Database(name, f.path(2).asText(), f.path(3).asText(), f.path(4).asText(),
                f.path(5).asInt(), f.path(6).asText(), Set.copyOf(schemas.getOrDefault(name, Set.of())),
                Map.copyOf(exts.getOrDefault(name, Map.of())))));
        Map<String, Set<DefaultAcl>> acls = new LinkedHashMap<>();
        defacl.forEach((db, set) -> acls.put(db, Set.copyOf(set)));
        return new View(true, primary, Set.copyOf(restartOnly), Set.copyOf(pending), Map.copyOf(stored),
                primary ? Map.copyOf(roles) : Map.of(), primary ? out : Map.of(), primary ? Set.copyOf(avail) : Set.of(),
                primary ? Map.copyOf(acls) : Map.of(), Set.copyOf(unread), Set.copyOf(preloaded));
    }

    private static Role role(JsonNode f) {
        Set<String> member = new LinkedHashSet<>();
        f.path(11).forEach(m -> member.add(m.asText()));
        Map<String, String> settings = new LinkedHashMap<>();
        f.path(13).forEach(kv -> {
            String s = kv.asText();
            int eq = s.indexOf('=');
            if (eq > 0) {
                settings.put(s.substring(0, eq), s.substring(eq + 1));
            }
        });
        return new Role(f.path(1).asText(), f.path(2).asBoolean(), f.path(3).asBoolean(), f.path(4).asBoolean(), f.path(5).asBoolean(),
                f.path(6).asBoolean(), f.path(7).asBoolean(), f.path(8).asBoolean(), f.path(9).asInt(), f.path(10).asText(),
                member, f.path(12).asText(), Map.copyOf(settings), f.path(14).asText());
    }
}
