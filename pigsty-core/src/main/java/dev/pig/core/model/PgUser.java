package dev.pig.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Whether the user should exist. */
    public enum State {
        CREATE, ABSENT
    }
}
