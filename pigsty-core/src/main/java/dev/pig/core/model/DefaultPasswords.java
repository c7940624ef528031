package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;
import dev.pig.core.param.Module;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;
import dev.pig.core.param.ParamType;

/**
 * Passwords anyone can guess: Pigsty's published defaults ({@code DBUser.DBA}, {@code pigsty},
 * {@code Etcd.Root}, {@code Patroni.API}, the {@code DBUser.*} and {@code S3User.*} passwords of
 * its example inventories) and passwords equal to their user's name. {@code pig inventory
 * validate} warns about each; plan, apply and deploy refuse those pig would set on a host outside
 * the {@linkplain #isSandbox sandbox}.
 *
 * <pre>
 * pg_admin_password: DBUser.DBA                      # Pigsty's default
 * pg_users: [ { name: test, password: test } ]       # the user's own name
 * </pre>
 */
public final class DefaultPasswords {
    /**
     * The sandbox's network, which is also Pigsty's example network. A real deployment on
     * 10.10.10.0/24 passes as a sandbox too: the rule cannot tell them apart without asking the
     * network, and the sandbox and test inventories must plan unchanged.
     */
    public static final String SANDBOX_CIDR = "10.10.10.0/24";
    private static final Pattern PIGSTY_EXAMPLE = Pattern.compile("(DBUser|S3User)\\.[A-Za-z0-9]+");
    private static final Set<String> PIGSTY_DEFAULTS = Set.of("pigsty", "Etcd.Root", "Patroni.API", "DBUser.DBA",
            "DBUser.Monitor", "DBUser.Replicator", "DBUser.Meta", "DBUser.Viewer", "S3User.MinIO", "minioadmin");
    /** Secret parameters and the parameter holding the user they belong to. */
    private static final Map<String, String> USER_OF = Map.of(
            "pg_admin_password", "pg_admin_username",
            "pg_monitor_password", "pg_monitor_username",
            "pg_replication_password", "pg_replication_username",
            "patroni_password", "patroni_username",
            "haproxy_admin_password", "haproxy_admin_username",
            "grafana_admin_password", "grafana_admin_username",
            "minio_secret_key", "minio_access_key");
    private static final Map<String, String> FIXED_USER = Map.of("etcd_root_password", "root");

    private DefaultPasswords() {
    }

    /**
     * One guessable password.
     *
     * @param what    where it is, as a path: {@code pg_admin_password}, {@code pg_users[test].password}
     * @param source  where it is written; for a parameter left at its default, the inventory's
     *                {@code all.vars}, where it would be set, and {@code written} is false
     * @param reason  why it is guessable, for messages
     * @param value   the password
     * @param hosts   the hosts on which pig sets it (empty when pig does not act on it)
     */
    public record Finding(String what, Source source, boolean written, String reason, String value, List<String> hosts) {
        /** One line for messages: the path, what is wrong, and where. */
        public String describe() {
            return what + " " + reason;
        }
    }

    /** Whether a password is one of Pigsty's published defaults or example passwords. */
    public static boolean isPigstyDefault(String password) {
        return PIGSTY_DEFAULTS.contains(password) || PIGSTY_EXAMPLE.matcher(password).matches();
    }

    /**
     * Whether a host is a sandbox node: an address in {@link #SANDBOX_CIDR}, a loopback address,
     * or run locally ({@code ansible_connection: local}). Default passwords are tolerated there:
     * those nodes are reachable from this machine only.
     */
    public static boolean isSandbox(Node n, ClusterModel.HostVars vars) {
        String a = n.address();
        if (a.equals("localhost") || Net.isIp(a) && (a.startsWith("127.") || Net.contains(SANDBOX_CIDR, a))) {
            return true;
        }
        return vars != null && "local".equals(String.valueOf(vars.value("ansible_connection")));
    }

    /** Every guessable password of the model, each once, with the hosts pig sets it on. */
    public static List<Finding> find(ClusterModel model, ParamCatalog catalog, Source allVars) {
        Map<String, Finding> out = new LinkedHashMap<>();
        Set<String> etcd = new HashSet<>();
        model.etcd().ifPresent(e -> e.members().forEach(m -> etcd.add(m.ip())));
        Set<String> pg = new HashSet<>();
        model.pgClusters().forEach(c -> c.instances().forEach(i -> pg.add(i.ip())));
        Set<String> infra = new HashSet<>();
        model.infra().forEach(i -> infra.add(i.ip()));
        List<Param> secrets = catalog.all().stream().filter(p -> p.type() == ParamType.SECRET).toList();
        for (Node n : model.nodes()) {
            ClusterModel.HostVars vars = model.varsOf(n.id());
            for (Param p : secrets) {
                Optional<Var> v = vars.explicitVar(p.name());
                Object value = vars.value(p.name());
                if (!(value instanceof String s) || s.isEmpty() || s.contains("${") || s.contains("{{")) {
                    continue;
                }
                boolean acts = p.acts() && (p.module() == Module.NODE || p.module() == Module.ETCD && etcd.contains(n.id())
                        || p.module() == Module.PGSQL && pg.contains(n.id()) || p.module() == Module.INFRA && infra.contains(n.id()));
                if (v.isEmpty() && !acts) {
                    continue; // a default nothing uses here
                }
                String user = USER_OF.containsKey(p.name()) ? String.valueOf(vars.value(USER_OF.get(p.name())))
                        : FIXED_USER.get(p.name());
                Source at = v.map(x -> x.node().source()).filter(Source::known).orElse(allVars);
                reason(s, user).ifPresent(r -> add(out, new Finding(p.name(), at, v.isPresent(),
                        v.isPresent() ? r : "is not set, so it is " + r.substring(3), s, List.of()), acts ? n.id() : null));
            }
            for (Var v : vars.explicit().values()) {
                if (catalog.find(v.name()).map(p -> p.type() == ParamType.SECRET).orElse(false)) {
                    continue;
                }
                boolean acts = v.name().equals("pg_users") && pg.contains(n.id());
                walk(v.name(), v.node(), acts ? n.id() : null, out);
            }
        }
        return List.copyOf(out.values());
    }

    /** Password fields inside a value ({@code pg_users} entries, an app's {@code POSTGRES_PASSWORD}). */
    private static void walk(String path, YNode node, String host, Map<String, Finding> out) {
        if (node instanceof YNode.Seq seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                YNode item = seq.items().get(i);
                String name = item instanceof YNode.Map m && m.get("name") instanceof YNode.Scalar ns && ns.value() != null
                        ? String.valueOf(ns.value()) : String.valueOf(i);
                walk(path + "[" + name + "]", item, host, out);
            }
        } else if (node instanceof YNode.Map m) {
            for (YNode.Entry e : m.entries().values()) {
                String key = e.key().toLowerCase(Locale.ROOT);
                if ((key.contains("password") || key.equals("secret_key")) && e.value() instanceof YNode.Scalar s
                        && s.value() instanceof String pw && !pw.isEmpty() && !pw.contains("${") && !pw.contains("{{")) {
                    String user = userOf(m);
                    reason(pw, user).ifPresent(r -> add(out, new Finding(path + "." + e.key(), s.source(), true, r, pw,
                            List.of()), host));
                } else {
                    walk(path + "." + e.key(), e.value(), host, out);
                }
            }
        }
    }

    private static String userOf(YNode.Map m) {
        for (String k : List.of("name", "user", "username", "access_key")) {
            if (m.get(k) instanceof YNode.Scalar s && s.value() != null) {
                return String.valueOf(s.value());
            }
        }
        return null;
    }

    private static Optional<String> reason(String password, String user) {
        if (isPigstyDefault(password)) {
            return Optional.of("is Pigsty's default password '" + password + "'");
        }
        if (user != null && password.equals(user)) {
            return Optional.of("is the same as its user's name");
        }
        return Optional.empty();
    }

    private static void add(Map<String, Finding> out, Finding f, String host) {
        String key = f.what() + "|" + f.source();
        Finding prev = out.get(key);
        List<String> hosts = new ArrayList<>(prev == null ? List.of() : prev.hosts());
        if (host != null && !hosts.contains(host)) {
            hosts.add(host);
        }
        out.put(key, new Finding(f.what(), f.source(), f.written(), f.reason(), f.value(), List.copyOf(hosts)));
    }
}
