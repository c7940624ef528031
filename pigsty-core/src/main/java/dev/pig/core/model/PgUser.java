package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.inventory.YNode;

/**
 * An entry of {@code pg_users}:
 *
 * <pre>
 * pg_users:
 *   - { name: test, password: test, pgbouncer: true, roles: [dbrole_admin] }
 * </pre>
 */
public record PgUser(String name, Optional<Secret> password, boolean login, boolean superuser, boolean createdb,
                     boolean createrole, boolean inherit, boolean replication, boolean bypassrls, int connlimit,
                     Optional<Integer> expireIn, Optional<String> expireAt, List<String> roles,
                     Map<String, Object> parameters, String comment, boolean pgbouncer, Optional<String> poolMode,
                     Optional<Integer> poolConnlimit, State state) {

    /** The fields an entry may have; another is a warning. */
    static final Set<String> FIELDS = Set.of("name", "password", "login", "superuser", "createdb",
            "createrole", "inherit", "replication", "bypassrls", "connlimit", "expire_in", "expire_at", "roles",
            "parameters", "comment", "pgbouncer", "pool_mode", "pool_connlimit", "state", "admin", "search_path");

    /** Whether the user should exist. */
    public enum State {
        CREATE, ABSENT
    }

    /** The entries of {@code param} for a cluster whose first host is {@code host}. */
    static List<PgUser> read(BuildContext cx, String host, String param) {
        List<PgUser> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YNode.Map m : cx.entries(host, param)) {
            Fields f = new Fields(m, param + " entry", cx.diags).known(FIELDS);
            Optional<String> name = f.string("name");
            if (name.isEmpty()) {
                cx.diags.error("an entry of " + param + " has no 'name'", m.source(), "Every user needs a name: - { name: dbuser_app, ... }");
                continue;
            }
            if (!names.add(name.get())) {
                cx.diags.error("user '" + name.get() + "' is listed twice in " + param, m.source(), "Keep one entry per user.");
            }
            String state = f.string("state", "create");
            if (!state.equals("create") && !state.equals("absent")) {
                cx.diags.error("user '" + name.get() + "': state must be create or absent, got '" + state + "'",
                        f.node("state").source(), "Use 'state: absent' to drop the user, or leave it out.");
            }
            f.string("expire_at").ifPresent(at -> {
                try {
                    java.time.LocalDate.parse(at);
                } catch (java.time.format.DateTimeParseException e) {
                    cx.diags.error("user '" + name.get() + "': expire_at must be a date like 2030-12-31, got '" + at + "'",
                            f.node("expire_at").source(), "Write the day the user expires on as YYYY-MM-DD, or use expire_in: DAYS.");
                }
            });
            f.integer("expire_in").filter(n -> n < 0).ifPresent(n -> cx.diags.error("user '" + name.get()
                    + "': expire_in must be 0 or more days, got " + n, f.node("expire_in").source(),
                    "expire_in counts the days from the run; give expire_at for a fixed day."));
            boolean pooled = f.bool("pgbouncer", false);
            Optional<String> poolMode = f.string("pool_mode");
            Optional<Integer> poolConnlimit = f.integer("pool_connlimit");
            if (pooled && !state.equals("absent") && (poolMode.isPresent() || poolConnlimit.isPresent())) {
                FormatRules.checkPooledUser(cx.diags, name.get(), f.source("name"));
            }
            out.add(new PgUser(name.get(), f.string("password").map(Secret::new), f.bool("login", true),
                    f.bool("superuser", false), f.bool("createdb", false), f.bool("createrole", false),
                    f.bool("inherit", true), f.bool("replication", false), f.bool("bypassrls", false),
                    f.integer("connlimit", -1), f.integer("expire_in"), f.string("expire_at"), f.strings("roles"),
                    f.dict("parameters"), f.string("comment", ""), pooled, poolMode, poolConnlimit,
                    state.equals("absent") ? State.ABSENT : State.CREATE));
        }
        return List.copyOf(out);
    }
}
