package dev.pig.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.diag.Source;
import dev.pig.core.inventory.YNode;

/**
 * An entry of {@code pg_default_services} / {@code pg_services}: an HAProxy frontend port that
 * routes to the cluster members chosen by {@code selector}.
 *
 * <pre>
 * - { name: primary, port: 5433, dest: default, check: /primary, selector: "[]" }
 * </pre>
 *
 * @param dest    where the servers listen: {@code default} ({@code pg_default_service_dest}),
 *                {@code postgres}, {@code pgbouncer} or a port number
 * @param check   the Patroni REST path whose 200 marks a server up
 * @param options HAProxy {@code default-server} options replacing the ones the {@code pg_rto} plan gives
 */
public record PgService(String name, int port, String ip, String selector, String backup, String dest,
                        String check, int maxconn, String balance, String options) {

    /** The fields an entry may have; another is a warning. */
    static final Set<String> FIELDS = Set.of("name", "port", "ip", "selector", "backup", "dest",
            "check", "maxconn", "balance", "options");

    /** The entries of {@code param} for a cluster whose first host is {@code host}. */
    static List<PgService> read(BuildContext cx, String host, String param) {
        List<PgService> out = new ArrayList<>();
        for (YNode.Map m : cx.entries(host, param)) {
            Fields f = new Fields(m, param + " entry", cx.diags).known(FIELDS);
            Optional<String> name = f.string("name");
            Optional<Integer> port = f.integer("port");
            if (name.isEmpty() || port.isEmpty() || f.string("selector").isEmpty()) {
                cx.diags.error("a service of " + param + " needs 'name', 'port' and 'selector'", m.source(),
                        "For example: - { name: standby, port: 5435, dest: default, selector: \"[]\", backup: \"[? pg_role == `primary`]\" }");
                continue;
            }
            String selector = f.string("selector", "[]");
            String dest = f.string("dest", "default");
            if (!List.of("default", "postgres", "pgbouncer").contains(dest) && !dest.matches("\\d{1,5}")) {
                cx.diags.error("service '" + name.get() + "' has dest '" + dest + "'", f.source("dest"),
                        "Use default (pg_default_service_dest), postgres, pgbouncer or a port number.");
            }
            String backup = f.string("backup", "");
            String where = cx.layerOf(host, param);
            checkSelector(cx, "selector of service '" + name.get() + "' in " + where, selector, f.source("selector"));
            if (!backup.isBlank()) {
                checkSelector(cx, "backup selector of service '" + name.get() + "' in " + where, backup, f.source("backup"));
            }
            out.add(new PgService(name.get(), port.get(), f.string("ip", "*"), selector,
                    backup, dest, f.string("check", "/"),
                    f.integer("maxconn", 5000), f.string("balance", "roundrobin"), f.string("options", "")));
        }
        return out;
    }

    /** A selector that HAProxy's config would be built from must parse; Jinja ones are Ansible's to render. */
    private static void checkSelector(BuildContext cx, String what, String selector, Source at) {
        if (selector.contains("{{")) {
            return;
        }
        try {
            MemberSelector.parse(selector);
        } catch (MemberSelector.SyntaxError e) {
            cx.diags.error("invalid " + what + ": " + e.getMessage(), at,
                    "Selectors are JMESPath over the cluster's members, like \"[? pg_role == `replica` ]\";\n"
                            + "'[]' selects every member, and literals are written in backticks: `1`, `true`, `primary`.");
        }
    }
}
