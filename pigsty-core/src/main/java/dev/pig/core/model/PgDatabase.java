package dev.pig.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.inventory.YNode;

/**
 * An entry of {@code pg_databases}:
 *
 * <pre>
 * pg_databases:
 *   - { name: meta, baseline: cmdb.sql, schemas: [pigsty], extensions: [{ name: vector }] }
 * </pre>
 */
public record PgDatabase(String name, Optional<String> owner, Optional<String> template, Optional<String> encoding,
                         Optional<String> locale, Optional<String> lcCollate, Optional<String> lcCtype,
                         Optional<String> tablespace, boolean allowConn, boolean revokeConn, int connlimit,
                         List<String> schemas, List<Extension> extensions, String comment, Optional<String> baseline,
                         boolean pgbouncer, Optional<String> poolMode, Optional<Integer> poolSize,
                         Optional<Integer> poolSizeReserve, Optional<Integer> poolSizeMin,
                         Optional<Integer> poolMaxDbConn, State state) {

    /** The fields an entry may have; another is a warning. */
    static final Set<String> FIELDS = Set.of("name", "owner", "template", "strategy", "encoding", "locale",
            "lc_collate", "lc_ctype", "locale_provider", "icu_locale", "icu_rules", "builtin_locale", "tablespace",
            "is_template", "allowconn", "revokeconn", "register_datasource", "connlimit", "pgbouncer", "pool_auth_user",
            "pool_mode", "pool_size", "pool_size_reserve", "pool_reserve", "pool_size_min", "pool_max_db_conn",
            "pool_connlimit", "schemas", "extensions", "comment", "baseline", "parameters", "state");

    /** An extension to create in the database. */
    public record Extension(String name, Optional<String> schema, Optional<String> version) {
    }

    /** Whether the database should exist, or be dropped and created again once. */
    public enum State {
        CREATE, ABSENT, RECREATE
    }

    /** The entries of {@code pg_databases} for a cluster whose first host is {@code host}. */
    static List<PgDatabase> read(BuildContext cx, String host) {
        List<PgDatabase> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YNode.Map m : cx.entries(host, "pg_databases")) {
            Fields f = new Fields(m, "pg_databases entry", cx.diags).known(FIELDS);
            Optional<String> name = f.string("name");
            if (name.isEmpty()) {
                cx.diags.error("an entry of pg_databases has no 'name'", m.source(), "Every database needs a name: - { name: app, owner: dbuser_app }");
                continue;
            }
            if (!names.add(name.get())) {
                cx.diags.error("database '" + name.get() + "' is listed twice in pg_databases", m.source(), "Keep one entry per database.");
            }
            String state = f.string("state", "create");
            State st = switch (state) {
                case "absent" -> State.ABSENT;
                case "recreate" -> State.RECREATE;
                case "create" -> State.CREATE;
                default -> {
                    cx.diags.error("database '" + name.get() + "': state must be create, absent or recreate, got '" + state + "'",
                            f.node("state").source(), "Leave 'state' out to create the database.");
                    yield State.CREATE;
                }
            };
            boolean pooled = f.bool("pgbouncer", true);
            if (pooled && st != State.ABSENT) {
                FormatRules.checkPooledDatabase(cx.diags, name.get(), f.source("name"));
            }
            List<String> schemas = new ArrayList<>();
            if (f.node("schemas") instanceof YNode.Seq seq) {
                for (YNode s : seq.items()) {
                    if (s instanceof YNode.Map sm && sm.get("name") != null) {
                        schemas.add(String.valueOf(sm.get("name").plain()));
                    } else if (s instanceof YNode.Scalar sc && sc.value() != null) {
                        schemas.add(String.valueOf(sc.value()));
                    }
                }
            }
            List<Extension> exts = new ArrayList<>();
            if (f.node("extensions") instanceof YNode.Seq seq) {
                for (YNode e : seq.items()) {
                    if (e instanceof YNode.Scalar sc && sc.value() != null) {
                        cx.checkExtensionName(String.valueOf(sc.value()), sc.source());
                        exts.add(new Extension(String.valueOf(sc.value()), Optional.empty(), Optional.empty()));
                    } else if (e instanceof YNode.Map em) {
                        Fields ef = new Fields(em, "extension of database " + name.get(), cx.diags);
                        Optional<String> en = ef.string("name");
                        if (en.isEmpty()) {
                            cx.diags.error("an extension of database '" + name.get() + "' has no 'name'", em.source(),
                                    "Write extensions as - { name: postgis, schema: public }.");
                        } else {
                            cx.checkExtensionName(en.get(), ef.source("name"));
                            exts.add(new Extension(en.get(), ef.string("schema"), ef.string("version")));
                        }
                    }
                }
            }
            out.add(new PgDatabase(name.get(), f.string("owner"), f.string("template"), f.string("encoding"),
                    f.string("locale"), f.string("lc_collate"), f.string("lc_ctype"), f.string("tablespace"),
                    f.bool("allowconn", true), f.bool("revokeconn", false), f.integer("connlimit", -1),
                    List.copyOf(schemas), List.copyOf(exts), f.string("comment", ""), baseline(cx, name.get(), f),
                    pooled, f.string("pool_mode"), f.integer("pool_size"),
                    f.integer("pool_size_reserve").or(() -> f.integer("pool_reserve")), f.integer("pool_size_min"),
                    f.integer("pool_max_db_conn").or(() -> f.integer("pool_connlimit")), st));
        }
        return List.copyOf(out);
    }

    /**
     * A database's {@code baseline} as the file to run: an absolute path as it is, a relative one
     * under the inventory's {@code files/} directory (Pigsty's layout), else next to the
     * inventory. A missing file is a warning here, since a database that exists never runs it;
     * creating one without it fails at plan time.
     */
    private static Optional<String> baseline(BuildContext cx, String db, Fields f) {
        Optional<String> given = f.string("baseline");
        if (given.isEmpty()) {
            return given;
        }
        Path named = Path.of(given.get());
        Path dir = Optional.ofNullable(Path.of(cx.inv.file()).toAbsolutePath().getParent()).orElse(Path.of("").toAbsolutePath());
        List<Path> candidates = named.isAbsolute() ? List.of(named) : List.of(dir.resolve("files").resolve(named), dir.resolve(named));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return Optional.of(c.normalize().toString());
            }
        }
        cx.diags.warning("baseline '" + given.get() + "' of database '" + db + "' is not found (looked for "
                        + String.join(", ", candidates.stream().map(c -> c.normalize().toString()).toList()) + ")",
                f.node("baseline").source(), "Put the SQL file there, or remove 'baseline': creating the database fails without it.");
        return Optional.of(candidates.get(0).normalize().toString());
    }
}
