package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.fact.FactSection;

/**
 * The catalog of a cluster's primary, read with one psql session per database as the dbsu:
 * roles with their attributes, memberships and stored password, databases, and the schemas,
 * extensions and default privileges of each (template1's too). Only a primary answers, so a
 * replica's section is empty.
 */
public final class PgCatalog implements FactSection<PgCatalog.View> {
    private final String cluster;
    private final String script;

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
     * @param primary     whether a running primary answered here; without it the rest is empty
     * @param defaultAcls the global default privileges of each database read (template1 included)
     */
    public record View(boolean primary, Map<String, Role> roles, Map<String, Database> databases, Set<String> available,
                       Map<String, Set<DefaultAcl>> defaultAcls) {
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
            return new View(false, Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    public PgCatalog(String cluster, String dbsu, String socketDir, int port) {
        this.cluster = cluster;
        String psql = "psql -h " + socketDir + " -p " + port + " -AtXq -F '|'";
        this.script = "command -v psql >/dev/null 2>&1 || exit 0\n"
                + "id " + dbsu + " >/dev/null 2>&1 || exit 0\n"
                + "cd /tmp\n"
                + "q() { su -s /bin/sh " + dbsu + " -c \"" + psql + " -d '$1'\"; }\n"
                + "[ \"$(echo 'SELECT pg_is_in_recovery()' | q postgres 2>/dev/null)\" = f ] || exit 0\n"
                + "echo '@@primary'\n"
                + "q postgres <<'SQL'\n"
                + "SELECT 'role', r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,"
                + " r.rolreplication, r.rolbypassrls, r.rolconnlimit, coalesce(r.rolpassword, ''),"
                + " coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m"
                + " JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid), ''),"
                + " translate(coalesce(shobj_description(r.oid, 'pg_authid'), ''), E'|\\n', '  '),"
                + " coalesce((SELECT array_to_string(s.setconfig, chr(31)) FROM pg_db_role_setting s"
                + " WHERE s.setrole = r.oid AND s.setdatabase = 0), ''),"
                + " coalesce(CASE WHEN r.rolvaliduntil = 'infinity' THEN 'infinity' ELSE to_char(r.rolvaliduntil, 'YYYY-MM-DD') END, '')"
                + " FROM pg_authid r WHERE r.rolname !~ '^pg_';\n"
                + "SELECT 'db', d.datname, pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate,"
                + " d.datconnlimit, translate(coalesce(shobj_description(d.oid, 'pg_database'), ''), E'|\\n', '  ')"
                + " FROM pg_database d WHERE NOT d.datistemplate;\n"
                + "SELECT 'avail', name FROM pg_available_extensions;\n"
                + "SQL\n"
                // template1 too: the default privileges of every database made later come from it
                + "for db in $(echo \"SELECT datname FROM pg_database WHERE datallowconn AND (NOT datistemplate OR datname = 'template1')\" | q postgres); do\n"
                + "q \"$db\" <<'SQL'\n"
                + "SELECT 'schema', current_database(), nspname FROM pg_namespace"
                + " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema';\n"
                + "SELECT 'ext', current_database(), e.extname, n.nspname FROM pg_extension e"
                + " JOIN pg_namespace n ON n.oid = e.extnamespace;\n"
                + "SELECT 'defacl', current_database(), pg_get_userbyid(d.defaclrole), d.defaclobjtype,"
                + " CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable"
                + " FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE d.defaclnamespace = 0;\n"
                + "SQL\n"
                + "done\n";
    }

    public static String nameOf(String cluster) {
        return "pgsql.catalog." + cluster;
    }

    @Override
    public String name() {
        return nameOf(cluster);
    }

    @Override
    public String script() {
        return script;
    }

    @Override
    public View parse(String output) {
        if (!output.contains("@@primary")) {
            return View.none();
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, String[]> dbs = new LinkedHashMap<>();
        Map<String, Set<String>> schemas = new LinkedHashMap<>();
        Map<String, Map<String, String>> exts = new LinkedHashMap<>();
        Set<String> avail = new LinkedHashSet<>();
        Map<String, Set<DefaultAcl>> defacl = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split("\\|", -1);
            switch (f[0]) {
                case "role" -> {
                    if (f.length >= 13) {
                        Set<String> member = new LinkedHashSet<>();
                        for (String m : f[11].split(",")) {
                            if (!m.isBlank()) {
                                member.add(m);
                            }
                        }
                        Map<String, String> settings = new LinkedHashMap<>();
                        for (String kv : f.length > 13 ? f[13].split("\u001f") : new String[0]) {
                            int eq = kv.indexOf('=');
                            if (eq > 0) {
                                settings.put(kv.substring(0, eq), kv.substring(eq + 1));
                            }
                        }
                        roles.put(f[1], new Role(f[1], t(f[2]), t(f[3]), t(f[4]), t(f[5]), t(f[6]), t(f[7]), t(f[8]),
                                Integer.parseInt(f[9]), f[10], member, f[12], Map.copyOf(settings), f.length > 14 ? f[14] : ""));
                    }
                }
                case "db" -> {
                    if (f.length >= 7) {
                        dbs.put(f[1], f);
                    }
                }
                case "schema" -> {
                    if (f.length >= 3) {
                        schemas.computeIfAbsent(f[1], k -> new LinkedHashSet<>()).add(f[2]);
                    }
                }
                case "ext" -> {
                    if (f.length >= 4) {
                        exts.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[2], f[3]);
                    }
                }
                case "avail" -> {
                    if (f.length >= 2) {
                        avail.add(f[1]);
                    }
                }
                case "defacl" -> {
                    if (f.length >= 7 && f[3].length() == 1) {
                        defacl.computeIfAbsent(f[1], k -> new LinkedHashSet<>())
                                .add(new DefaultAcl(f[2], f[3].charAt(0), f[4], f[5], t(f[6])));
                    }
                }
                default -> { }
            }
        }
        Map<String, Database> out = new LinkedHashMap<>();
        dbs.forEach((name, f) -> out.put(name, new Database(name, f[2], f[3], f[4], Integer.parseInt(f[5]), f[6],
                Set.copyOf(schemas.getOrDefault(name, Set.of())), Map.copyOf(exts.getOrDefault(name, Map.of())))));
        Map<String, Set<DefaultAcl>> acls = new LinkedHashMap<>();
        defacl.forEach((db, set) -> acls.put(db, Set.copyOf(set)));
        return new View(true, Map.copyOf(roles), out, Set.copyOf(avail), Map.copyOf(acls));
    }

    private static boolean t(String s) {
        return s.equals("t");
    }
}
