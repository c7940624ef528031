package dev.pig.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.pig.core.inventory.YNode;

/**
 * An entry of {@code pg_hba_rules} / {@code pg_default_hba_rules}, either in alias form or as raw
 * lines:
 *
 * <pre>
 * - { user: all, db: all, addr: intra, auth: pwd, title: 'intranet password access' }
 * - { title: 'allow x', role: primary, order: 500, rules: [ 'host all x 10.0.0.0/8 scram-sha-256' ] }
 * </pre>
 *
 * @param role on which instances the rule applies: {@code common} (all), primary, replica, offline
 * @param order rules are sorted by it (ties keep inventory order)
 */
public record HbaRule(String title, String user, String db, String addr, String auth, String role, int order,
                      List<String> rules) {

    /** The fields an entry may have; another is a warning. */
    static final Set<String> FIELDS = Set.of("title", "user", "db", "addr", "auth", "role", "order", "rules");
    private static final Set<String> ROLES = Set.of("common", "primary", "replica", "offline", "standby", "delayed");
    private static final Set<String> ADDRESS_ALIASES = Set.of("local", "localhost", "admin", "infra", "cluster", "intra", "world");

    /** The entries of {@code param} for a cluster whose first host is {@code host}. */
    static List<HbaRule> read(BuildContext cx, String host, String param) {
        List<HbaRule> out = new ArrayList<>();
        for (YNode.Map m : cx.entries(host, param)) {
            Fields f = new Fields(m, param + " entry", cx.diags).known(FIELDS);
            List<String> rules = f.strings("rules");
            String role = f.string("role", "common");
            if (!ROLES.contains(role)) {
                cx.diags.error("HBA rule role must be common, primary, replica or offline, got '" + role + "'",
                        f.node("role").source(), "Leave 'role' out for a rule that applies on every instance.");
            }
            if (rules.isEmpty() && (f.string("addr").isEmpty() || f.string("auth").isEmpty())) {
                cx.diags.error("an HBA rule needs either 'rules' (raw pg_hba lines) or 'addr' and 'auth'", m.source(),
                        "For example: - { user: all, db: all, addr: intra, auth: pwd, title: 'intranet password access' }");
                continue;
            }
            if (rules.isEmpty()) {
                for (String field : List.of("user", "db")) {
                    f.string(field).ifPresent(name -> FormatRules.checkHbaName(cx.diags, param, field, name, f.source(field)));
                }
            }
            f.string("addr").ifPresent(a -> {
                if (!ADDRESS_ALIASES.contains(a) && !Net.isCidr(a) && !Net.isIp(a) && !a.equals("all") && !a.contains("{{")) {
                    cx.diags.error("HBA address '" + a + "' is neither an alias nor a CIDR", f.node("addr").source(),
                            "Use local, localhost, admin, infra, cluster, intra, world, or a CIDR like 10.0.0.0/8.");
                }
            });
            out.add(new HbaRule(f.string("title", ""), f.string("user", "all"), f.string("db", "all"),
                    f.string("addr", ""), f.string("auth", ""), role, f.integer("order", 1000), rules));
        }
        return out;
    }
}
