package dev.pig.core.model;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.pig.core.diag.ControlChars;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;
import dev.pig.core.inventory.YNode;

/**
 * Values a parameter's type allows but the file or command pig writes them into cannot carry,
 * refused where they are written, each with the format that needs the rule. The entries of
 * {@code pg_users}, {@code pg_databases} and the HBA rules use the same rules from their readers.
 *
 * <pre>
 * etcd_root_password: 'Etcd Root'      # etcdctl reads a password up to the first space
 * haproxy_admin_username: 'ad:min'     # HAProxy's 'stats auth user:password'
 * pg_vip_interface: 'eth0; x'          # a word of keepalived.conf
 * vip_auth_pass: 'a#b'                 # a word of keepalived.conf too
 * pg_parameters: { 'work mem': 64MB }  # a key of patroni.yml's postgresql.parameters
 * pgbackrest_repo: { minio: { 's3 key': x } }   # 'repo1-&lt;key&gt;=' in pgbackrest.conf
 * </pre>
 *
 * A value holding a control character (reported on its own) or a template ({@code ${...}},
 * {@code {{ ... }}}, checked once resolved or left to Ansible) is left to those checks.
 */
final class FormatRules {
    /** A database or user name PgBouncer reads as one word of database.txt or useropts.txt. */
    private static final Pattern PGBOUNCER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern PG_SETTING = Pattern.compile("[a-z_][a-z0-9_.]*", Pattern.CASE_INSENSITIVE);
    /** What Linux allows in an interface name (IFNAMSIZ - 1), and a word of keepalived.conf. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    private static final Pattern PGBACKREST_OPTION = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    /** A Redis command name, and what rename-command may call it (empty disables it). */
    private static final Pattern REDIS_COMMAND = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern REDIS_NEW_NAME = Pattern.compile("[A-Za-z0-9_-]*");
    /** {@code <seconds> <changes>} of a save point. */
    private static final Pattern RDB_SAVE = Pattern.compile("[1-9][0-9]{0,9} [0-9]{1,10}");
    /**
     * Commands pig sends to read and change instances (INFO, CONFIG SET, ACL, REPLICAOF, CLUSTER)
     * and sentinels send to the instances they watch (PING, INFO, SLAVEOF, CONFIG REWRITE,
     * CLIENT KILL, MULTI/EXEC): renamed, they would no longer reach their commands.
     */
    static final java.util.Set<String> REDIS_NEEDED = java.util.Set.of("CONFIG", "INFO", "PING", "ACL", "AUTH", "REPLICAOF",
            "SLAVEOF", "CLUSTER", "SENTINEL", "CLIENT", "MULTI", "EXEC", "ROLE", "HELLO", "PUBLISH", "SUBSCRIBE");

    private record Problem(String summary, String hint) {
    }

    private final Diagnostics diags;

    FormatRules(Diagnostics diags) {
        this.diags = diags;
    }

    /**
     * Checks a parameter as one layer writes it, or a scalar once its placeholders are resolved;
     * its type is already known to be right.
     */
    void check(String param, YNode value) {
        if (value instanceof YNode.Scalar s) {
            checkScalar(param, s);
        } else if (value instanceof YNode.Map m && param.equals("pg_parameters")) {
            for (YNode.Entry e : m.entries().values()) {
                if (checkable(e.key()) && !PG_SETTING.matcher(e.key()).matches()) {
                    diags.error("pg_parameters key '" + e.key() + "' is not a PostgreSQL setting name", e.keySource(),
                            "Setting names are letters, digits, '_' and '.', starting with a letter or '_' (like work_mem or\n"
                                    + "pg_stat_statements.max); pig writes each key into patroni.yml's postgresql.parameters.");
                }
            }
        } else if (value instanceof YNode.Map m && param.equals("redis_rename_commands")) {
            checkRenames(m);
        } else if (value instanceof YNode.Seq seq && param.equals("redis_rdb_save")) {
            for (YNode item : seq.items()) {
                if (item instanceof YNode.Scalar s && s.value() instanceof String rule && checkable(rule)
                        && !RDB_SAVE.matcher(rule.strip()).matches()) {
                    diags.error("redis_rdb_save rule '" + rule + "' is not '<seconds> <changes>'", s.source(),
                            "Write each save point as two numbers, like '1200 1' (save after 1200 s when at least 1 key changed);\n"
                                    + "an empty list turns RDB snapshots off.");
                } else if (item instanceof YNode.Scalar s && !(s.value() instanceof String)) {
                    diags.error("redis_rdb_save rule " + s.raw() + " is not '<seconds> <changes>'", s.source(),
                            "Write each save point as a quoted pair of numbers, like '1200 1'.");
                }
            }
        } else if (value instanceof YNode.Map m && param.equals("pgbackrest_repo")) {
            for (YNode.Entry repo : m.entries().values()) {
                if (!(repo.value() instanceof YNode.Map options)) {
                    continue;
                }
                for (YNode.Entry e : options.entries().values()) {
                    if (checkable(e.key()) && !PGBACKREST_OPTION.matcher(e.key()).matches()) {
                        diags.error("pgbackrest_repo." + repo.key() + " has the key '" + e.key() + "', which is no pgBackRest option name",
                                e.keySource(), "pig writes each key as 'repo1-<key>' in pgbackrest.conf: use the option's name without"
                                        + " 'repo-',\nin lowercase letters, digits, '_' and '-', like path, s3_bucket or retention_full.");
                    }
                }
            }
        }
    }

    private void checkScalar(String param, YNode.Scalar s) {
        if (!(s.value() instanceof String text) || !checkable(text)) {
            return;
        }
        Function<String, Optional<Problem>> rule = switch (param) {
            case "etcd_root_password", "pg_etcd_password" -> t -> etcdPassword(param, t);
            case "haproxy_admin_username" -> FormatRules::haproxyUser;
            case "pg_vip_interface" -> FormatRules::vipInterface;
            case "vip_interface" -> FormatRules::nodeVipInterface;
            case "vip_auth_pass", "pg_vip_auth_pass" -> t -> vrrpPassword(param, t);
            case "redis_bind_address" -> FormatRules::redisBind;
            case "redis_fs_main" -> FormatRules::redisFsMain;
            default -> t -> Optional.empty();
        };
        rule.apply(text).ifPresent(p -> diags.error(p.summary(), s.source(), p.hint()));
    }

    private static Optional<Problem> etcdPassword(String param, String pw) {
        for (int i = 0; i < pw.length(); i++) {
            char c = pw.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                String what = c == ' ' ? "a space" : String.format("a whitespace character (U+%04X)", (int) c);
                return Optional.of(new Problem(param + " holds " + what + " at character " + (i + 1),
                        "etcdctl reads a new user's password from stdin with --interactive=false, which stops at whitespace:\n"
                                + "the user would get only the part before it. Use a password without spaces (like the ones\n"
                                + "'pig inventory passwords --generate' writes)."));
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> haproxyUser(String user) {
        if (user.indexOf(':') < 0) {
            return Optional.empty();
        }
        return Optional.of(new Problem("haproxy_admin_username '" + user + "' holds a ':'",
                "HAProxy reads 'stats auth user:password' up to the first ':' as the user name, so the rest would become\n"
                        + "part of the password. Use a user name without ':'."));
    }

    private static Optional<Problem> vipInterface(String iface) {
        if (iface.equals("auto") || INTERFACE.matcher(iface).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Problem("pg_vip_interface '" + iface + "' is not a network interface name",
                "Write the Linux interface the VIP belongs on, like eth0 (letters, digits, '_', '.', ':', '@' and '-',\n"
                        + "at most 15 characters), or 'auto' for the interface that carries each instance's IP."));
    }

    private static Optional<Problem> nodeVipInterface(String iface) {
        if (INTERFACE.matcher(iface).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Problem("vip_interface '" + iface + "' is not a network interface name",
                "Write the Linux interface the node VIP belongs on, like eth0 (letters, digits, '_', '.', ':', '@' and '-',\n"
                        + "at most 15 characters)."));
    }

    /** A word of keepalived.conf, where '#' and '!' start a comment and quotes and braces are syntax. */
    private static final Pattern VRRP_PASSWORD = Pattern.compile("[^\\s#!\"'{}\\\\]*");

    private static Optional<Problem> vrrpPassword(String param, String pw) {
        if (VRRP_PASSWORD.matcher(pw).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Problem(param + " holds whitespace, a quote, a brace, '\\', '#' or '!'",
                "keepalived.conf takes the password as one word, and '#' or '!' would start a comment in it. Use letters,\n"
                        + "digits and punctuation without those; VRRP uses only the first 8 characters."));
    }

    private static Optional<Problem> redisBind(String address) {
        if (address.isEmpty() || Net.isIp(address)) {
            return Optional.empty();
        }
        return Optional.of(new Problem("redis_bind_address '" + address + "' is not an IP address",
                "Give the address the instances listen on, like 0.0.0.0, or '' for the node's own IP (Pigsty's rule)."));
    }

    /** A directory systemd's unit lines (WorkingDirectory, ReadWritePaths) take as one path, with no specifier. */
    private static final Pattern UNIT_PATH = Pattern.compile("/[A-Za-z0-9._/-]*");

    private static Optional<Problem> redisFsMain(String path) {
        if (UNIT_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Problem("redis_fs_main '" + path + "' holds characters a systemd unit line cannot carry",
                "pig names the data directory in each instance's unit (WorkingDirectory, ReadWritePaths), where a space\n"
                        + "separates paths and '%' starts a specifier: use letters, digits, '.', '_', '-' and '/'."));
    }

    private void checkRenames(YNode.Map m) {
        for (YNode.Entry e : m.entries().values()) {
            if (!checkable(e.key())) {
                continue;
            }
            if (!REDIS_COMMAND.matcher(e.key()).matches()) {
                diags.error("redis_rename_commands key '" + e.key() + "' is not a Redis command name", e.keySource(),
                        "Name the command to rename, like FLUSHALL.");
                continue;
            }
            if (REDIS_NEEDED.contains(e.key().toUpperCase(java.util.Locale.ROOT))) {
                diags.error("redis_rename_commands renames " + e.key().toUpperCase(java.util.Locale.ROOT)
                        + ", which pig and the sentinels send to every instance", e.keySource(),
                        "pig reads roles with INFO and applies settings with CONFIG SET, ACL and REPLICAOF, and sentinels\n"
                                + "reconfigure replicas with SLAVEOF and CONFIG REWRITE. Leave these as they are:\n"
                                + String.join(", ", new java.util.TreeSet<>(REDIS_NEEDED)) + ".");
                continue;
            }
            Object to = e.value().plain();
            String name = to == null ? "" : String.valueOf(to);
            if (e.value() instanceof YNode.Scalar && checkable(name) && !REDIS_NEW_NAME.matcher(name).matches()) {
                diags.error("redis_rename_commands gives " + e.key() + " the name '" + name + "', which redis.conf cannot carry",
                        e.value().source(), "Use letters, digits, '_' and '-', or '' to disable the command.");
            } else if (!(e.value() instanceof YNode.Scalar)) {
                diags.error("redis_rename_commands." + e.key() + " must be the command's new name", e.value().source(),
                        "Write the new name as a string, or '' to disable the command.");
            }
        }
    }

    // ---- entries of pg_users, pg_databases and the HBA rules ----

    /** A {@code pg_databases} entry that PgBouncer pools has a name it can route. */
    static void checkPooledDatabase(Diagnostics diags, String name, Source at) {
        if (checkable(name) && !PGBOUNCER_NAME.matcher(name).matches()) {
            diags.error("database '" + name + "' has a name PgBouncer cannot route", at,
                    "PgBouncer routes names of letters, digits, '_', '.' and '-' (not starting with '.' or '-').\n"
                            + "Set 'pgbouncer: false' on the entry to keep it out of PgBouncer, or rename the database.");
        }
    }

    /** A {@code pg_users} entry with PgBouncer pool options has a name useropts.txt can hold. */
    static void checkPooledUser(Diagnostics diags, String name, Source at) {
        if (checkable(name) && !PGBOUNCER_NAME.matcher(name).matches()) {
            diags.error("user '" + name + "' has PgBouncer pool options but a name PgBouncer cannot read", at,
                    "PgBouncer's per-user options (pool_mode, pool_connlimit) name the user as a word of letters, digits,\n"
                            + "'_', '.' and '-'. Set 'pgbouncer: false', or leave out the pool options, or rename the user.");
        }
    }

    /** The {@code user} or {@code db} field of an HBA rule can be written into pg_hba.conf. */
    static void checkHbaName(Diagnostics diags, String param, String field, String value, Source at) {
        if (checkable(value) && value.indexOf('"') >= 0) {
            diags.error("the " + field + " '" + value + "' of a " + param + " entry holds a double quote", at,
                    "An HBA file takes a name with a space or '#' in double quotes, and has no way to write a double\n"
                            + "quote inside one. Remove it from the " + field + " field.");
        }
    }

    /** Free of what other checks report or leave for later: control characters and templates. */
    private static boolean checkable(String s) {
        return ControlChars.first(s, false).isEmpty() && !s.contains("${") && !s.contains("{{");
    }
}
