package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.model.PgUser;
import dev.pig.core.model.Secret;
import dev.pig.modules.HostVars;

/**
 * The roles every cluster has ({@code pg_default_roles}): Pigsty's role hierarchy
 * (dbrole_readonly ... dbrole_admin) and its system users, which get the passwords of
 * {@code pg_admin_password}, {@code pg_monitor_password} and the others.
 */
final class Roles {
    private Roles() {
    }

    /** The roles of {@code pg_default_roles}, with the passwords Pigsty gives the system ones. */
    static List<PgUser> defaults(HostVars v) {
        List<PgUser> roles = new ArrayList<>();
        for (Object o : v.raw("pg_default_roles") instanceof List<?> l ? l : List.of()) {
            if (o instanceof Map<?, ?> raw) {
                Map<String, Object> m = new LinkedHashMap<>();
                raw.forEach((k, x) -> m.put(String.valueOf(k), x));
                roles.add(Provision.defaultRole(m, password(v, String.valueOf(m.get("name")))));
            }
        }
        return roles;
    }

    /** The password Pigsty gives a system role, when it is one and has one. */
    static Optional<Secret> password(HostVars v, String role) {
        String param = role.equals(v.str("pg_replication_username")) ? "pg_replication_password"
                : role.equals(v.str("pg_admin_username")) ? "pg_admin_password"
                : role.equals(v.str("pg_monitor_username")) ? "pg_monitor_password"
                : role.equals(v.str("pg_dbsu")) ? "pg_dbsu_password" : null;
        if (param == null || v.str(param).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.secret(param));
    }
}
