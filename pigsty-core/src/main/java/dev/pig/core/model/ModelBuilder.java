package dev.pig.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.pig.core.diag.ControlChars;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;
import dev.pig.core.ext.ExtensionCatalog;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Inventory;
import dev.pig.core.inventory.Origin;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;
import dev.pig.core.param.Module;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;

/**
 * Turns an {@link Inventory} into a {@link ClusterModel}, checking everything that can be checked
 * without touching a host and reporting every problem in one pass: unknown parameters, wrong
 * types, Pigsty's identity rules, addresses, port clashes and missing groups.
 */
public final class ModelBuilder {
    static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9-]+");

    private static final Set<String> USER_FIELDS = Set.of("name", "password", "login", "superuser", "createdb",
            "createrole", "inherit", "replication", "bypassrls", "connlimit", "expire_in", "expire_at", "roles",
            "parameters", "comment", "pgbouncer", "pool_mode", "pool_connlimit", "state", "admin", "search_path");
    private static final Set<String> DB_FIELDS = Set.of("name", "owner", "template", "strategy", "encoding", "locale",
            "lc_collate", "lc_ctype", "locale_provider", "icu_locale", "icu_rules", "builtin_locale", "tablespace",
            "is_template", "allowconn", "revokeconn", "register_datasource", "connlimit", "pgbouncer", "pool_auth_user",
            "pool_mode", "pool_size", "pool_size_reserve", "pool_reserve", "pool_size_min", "pool_max_db_conn",
            "pool_connlimit", "schemas", "extensions", "comment", "baseline", "parameters", "state");
    private static final Set<String> HBA_FIELDS = Set.of("title", "user", "db", "addr", "auth", "role", "order", "rules");
    private static final Set<String> SERVICE_FIELDS = Set.of("name", "port", "ip", "selector", "backup", "dest",
            "check", "maxconn", "balance", "options");

    private final Inventory inv;
    private final ParamCatalog catalog;
    private final Diagnostics diags;
    private final Map<String, Object> defaults = new HashMap<>();
    private final Map<String, Map<String, Var>> hostVars = new LinkedHashMap<>();
    private final Set<String> warnedExtensions = new HashSet<>();
    /** Parameters pig does not act on, by module, with where each is first written. */
    private final Map<Module, Map<String, Source>> notActing = new EnumMap<>(Module.class);

    private ModelBuilder(Inventory inv, ParamCatalog catalog, Diagnostics diags) {
        this.inv = inv;
        this.catalog = catalog;
        this.diags = diags;
        for (Param p : catalog.all()) {
            defaults.put(p.name(), p.defaultValue());
        }
    }

    /** Builds the model; problems go to {@code diags} (the caller decides whether to stop). */
    public static ClusterModel build(Inventory inv, ParamCatalog catalog, Diagnostics diags) {
        return new ModelBuilder(inv, catalog, diags).build();
    }

    private ClusterModel build() {
        for (Group g : inv.groups().values()) {
            checkName("group name", g.name(), g.source());
        }
        inv.hosts().forEach((h, src) -> checkName("host", h, src));
        checkLayer(inv.allVars(), "all.vars");
        for (Group g : inv.groups().values()) {
            checkLayer(g.vars(), g.name() + ".vars");
            g.hostVars().forEach((h, vars) -> checkLayer(vars, "host " + h));
        }
        inv.extraVars().forEach((src, vars) -> checkLayer(vars, src));
        warnNotActing();
        for (String h : inv.hosts().keySet()) {
            hostVars.put(h, typed(inv.resolve(h, diags)));
        }

        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, Source> h : inv.hosts().entrySet()) {
            nodes.add(node(h.getKey(), h.getValue()));
        }
        List<InfraNode> infra = infra();
        Optional<EtcdCluster> etcd = etcd();
        List<MinioCluster> minio = new ArrayList<>();
        List<PgCluster> pg = new ArrayList<>();
        List<RedisCluster> redis = new ArrayList<>();
        Map<String, String> pgClusterOfHost = new HashMap<>();
        for (Group g : inv.groups().values()) {
            if (g.var("pg_cluster") != null) {
                pg.add(pgCluster(g, pgClusterOfHost));
            }
            if (g.var("minio_cluster") != null) {
                minio.add(minio(g));
            }
            if (g.var("redis_cluster") != null) {
                redis.add(redis(g));
            }
        }
        if (!pg.isEmpty() && etcd.isEmpty()) {
            PgCluster first = pg.get(0);
            diags.error("PostgreSQL cluster '" + first.name() + "' needs an etcd cluster for its DCS, and there is none",
                    inv.groups().get(first.group()).source(),
                    "Add an 'etcd' group with 'etcd_cluster: etcd' in its vars and 'etcd_seq: N' on each host,\n"
                            + "for example: etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }");
        }
        checkPorts(pg, redis, etcd, minio);
        for (String h : hostVars.keySet()) {
            RepoUpstream.check(value(h, "node_repo_modules"), var(h, "node_repo_modules"), var(h, "repo_upstream"), diags);
        }

        Map<String, ClusterModel.HostVars> vars = new LinkedHashMap<>();
        Map<String, Object> sharedDefaults = java.util.Collections.unmodifiableMap(defaults);
        hostVars.forEach((h, v) -> vars.put(h, new ClusterModel.HostVars(h, v, sharedDefaults)));
        return new ClusterModel(inv.file(), List.copyOf(fillNodenames(nodes, pg)), List.copyOf(infra), etcd,
                List.copyOf(minio), List.copyOf(pg), List.copyOf(redis), vars);
    }

    // ---- parameters: names and types, checked once where they are written ----

    private void checkLayer(YNode.Map layer, String where) {
        for (YNode.Entry e : layer.entries().values()) {
            redactSecrets(e);
        }
        for (YNode.Entry e : layer.entries().values()) {
            checkName("parameter name", e.key(), e.keySource());
            checkText(e.key(), e.key(), e.value(), TAB_SEPARATED_LINES.contains(e.key()));
            Optional<Param> p = catalog.find(e.key());
            if (p.isEmpty()) {
                List<String> close = catalog.suggestions(e.key());
                String hint = close.isEmpty()
                        ? "Check the spelling; 'pig params' lists every parameter pig knows."
                        : "Did you mean '" + close.get(0) + "'?" + (close.size() > 1
                        ? " (or " + String.join(", ", close.subList(1, close.size())) + ")" : "");
                diags.error("unknown parameter '" + e.key() + "' in " + where, e.keySource(), hint);
                continue;
            }
            Param param = p.get();
            if (!param.acts()) {
                notActing.computeIfAbsent(param.module(), m -> new TreeMap<>()).merge(param.name(), e.keySource(),
                        (a, b) -> earlier(a, b));
            }
            Object value = e.value().plain();
            param.type().check(value, param.values()).ifPresent(problem ->
                    diags.error("parameter '" + param.name() + "' has the wrong type: " + problem, e.value().source(),
                            "Set it to " + expected(param) + "; see 'pig params " + param.name() + "'."));
        }
    }

    // ---- control characters: refused in every value, key and name ----

    /**
     * Parameters whose strings are lines of a whitespace-separated format pig writes as they are
     * (crontab lines; the raw {@code rules} lines of HBA entries), where a tab is a separator
     * like a space. Everywhere else a tab is refused with the other control characters: in a name,
     * a password or a path it is a paste error, and HAProxy, keepalived and pgBackRest read it as
     * a separator that would split one value into two.
     */
    private static final Set<String> TAB_SEPARATED_LINES = Set.of("node_crontab", "pg_crontab");
    private static final Set<String> HBA_PARAMS = Set.of("pg_hba_rules", "pgb_hba_rules", "pg_default_hba_rules",
            "pgb_default_hba_rules");
    private static final String CONTROL_HINT = "pig refuses control characters in inventory values: in a name, a password, a path"
            + " or a config line they could end\nthe command or the line pig writes and start another, or drive the terminal"
            + " that shows them. Remove it\n(in a double-quoted YAML string, drop the \\n, \\t, \\e or \\x.. escape).";

    private void checkName(String what, String name, Source at) {
        ControlChars.first(name, false).ifPresent(i -> diags.error(what + " '" + name + "' holds "
                + ControlChars.describe(name.charAt(i)), at, CONTROL_HINT));
    }

    /**
     * Every string under a parameter, keys of mappings included ({@code pg_parameters} keys,
     * {@code redis_instances} ports), is free of control characters.
     */
    private void checkText(String param, String path, YNode n, boolean allowTab) {
        if (n instanceof YNode.Scalar s) {
            if (s.value() instanceof String str) {
                ControlChars.first(str, allowTab).ifPresent(i -> diags.error("the value of " + path + " holds "
                        + ControlChars.describe(str.charAt(i)) + " at character " + (i + 1), s.source(), CONTROL_HINT));
            }
        } else if (n instanceof YNode.Seq seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                checkText(param, path + "[" + i + "]", seq.items().get(i), allowTab);
            }
        } else if (n instanceof YNode.Map m) {
            for (YNode.Entry e : m.entries().values()) {
                ControlChars.first(e.key(), false).ifPresent(i -> diags.error("a key of " + path + " holds "
                        + ControlChars.describe(e.key().charAt(i)), e.keySource(), CONTROL_HINT));
                boolean tab = allowTab || HBA_PARAMS.contains(param) && e.key().equals("rules");
                checkText(param, path + "." + e.key(), e.value(), tab);
            }
        }
    }

    /**
     * One warning per module for the parameters pig accepts but does not act on, not one per
     * key: a Pigsty inventory names dozens of them (its INFRA, DOCKER or KAFKA settings), and a
     * wall of warnings would hide the few that matter.
     */
    private void warnNotActing() {
        notActing.forEach((module, names) -> {
            Source first = names.values().stream().reduce(ModelBuilder::earlier).orElse(Source.NONE);
            int n = names.size();
            String some = n + " " + module + " parameter" + (n == 1 ? "" : "s");
            String list = String.join(", ", names.keySet());
            if (module.deployed()) {
                diags.warning(some + (n == 1 ? " is" : " are") + " accepted but pig does not act on "
                                + (n == 1 ? "it" : "them") + " yet: " + list, first,
                        n == 1 ? "It is kept in the model; no task uses it in this version."
                                : "They are kept in the model; no task uses them in this version.");
            } else {
                diags.warning(some + (n == 1 ? " is" : " are") + " not acted on: pig does not deploy " + module, first,
                        "Accepted so the inventory reads as it does for Pigsty: " + list + ".\n"
                                + "pig deploys " + String.join(", ", java.util.Arrays.stream(Module.values())
                                .filter(Module::deployed).map(Enum::name).toList()) + "; 'pig params " + module
                                + "' lists the module's parameters.");
            }
        });
    }

    private static Source earlier(Source a, Source b) {
        if (!a.known()) {
            return b;
        }
        if (!b.known() || !a.file().equals(b.file())) {
            return a;
        }
        return b.line() < a.line() || b.line() == a.line() && b.column() < a.column() ? b : a;
    }

    /**
     * Registers the secrets of an entry so no excerpt shows them: values of secret parameters, of
     * keys that name a password (a misspelt parameter too), and {@code password} fields of entries
     * such as {@code pg_users}.
     */
    private void redactSecrets(YNode.Entry e) {
        boolean secret = catalog.find(e.key()).map(p -> p.type() == dev.pig.core.param.ParamType.SECRET)
                .orElse(false) || e.key().toLowerCase(Locale.ROOT).contains("password");
        if (secret && e.value() instanceof YNode.Scalar s) {
            diags.redact(s.source(), s.raw());
            if (s.value() instanceof String str && !str.isEmpty() && str.length() < dev.pig.core.plan.Masker.SHORT
                    && !str.contains("${") && !str.contains("{{")) {
                // too short to hide: masking two or three characters everywhere would blank
                // ordinary text, so output masks them only between delimiters, and one character
                // not at all; and a password this short is found by guessing in moments anyway
                diags.warning("'" + e.key() + "' is " + str.length() + " character" + (str.length() == 1 ? "" : "s")
                                + " long: too short to be a secret", s.source(),
                        "Use a long random value (pig inventory passwords --generate writes them); pig cannot hide one this"
                                + " short reliably in plans and logs.");
            }
        } else if (e.value() instanceof YNode.Map m) {
            m.entries().values().forEach(this::redactSecrets);
        } else if (e.value() instanceof YNode.Seq seq) {
            for (YNode item : seq.items()) {
                if (item instanceof YNode.Map m) {
                    m.entries().values().forEach(this::redactSecrets);
                }
            }
        }
    }

    /**
     * A host's resolved variables as the modules read them: a value that came from a
     * {@code ${...}} placeholder is type-checked now that it is known (the file could not be), and
     * quoted integers of integer parameters become numbers.
     */
    private Map<String, Var> typed(Map<String, Var> vars) {
        Map<String, Var> out = new LinkedHashMap<>();
        for (Var v : vars.values()) {
            Optional<Param> p = catalog.find(v.name());
            if (p.isEmpty() || !(v.node() instanceof YNode.Scalar s)) {
                out.put(v.name(), v);
                continue;
            }
            Param param = p.get();
            if (s.raw().contains("${") && !(s.value() instanceof String str && str.contains("${"))) {
                param.type().check(s.value(), param.values()).ifPresent(problem ->
                        diags.error("parameter '" + param.name() + "' has the wrong type once '" + s.raw() + "' is resolved: "
                                + problem, s.source(), "Set it, or the variables it refers to, to " + expected(param) + "."));
            }
            Object typedValue = param.type().normalise(s.value(), param.values());
            out.put(v.name(), typedValue == s.value() ? v
                    : new Var(v.name(), new YNode.Scalar(typedValue, s.raw(), s.quoted(), s.source()), v.origin(), v.detail(), v.source()));
        }
        return out;
    }

    private static String expected(Param p) {
        return switch (p.type()) {
            case ENUM -> "one of " + String.join(", ", p.values());
            case PORT -> "a port number such as " + (p.defaultValue() == null ? "5432" : p.defaultValue());
            case IP -> "an IP address such as " + (p.defaultValue() == null ? "10.10.10.10" : p.defaultValue());
            case CIDR -> "an address with prefix length such as 10.10.10.2/24";
            case PATH -> "an absolute path such as " + (p.defaultValue() == null ? "/data" : p.defaultValue());
            default -> "a value of type " + p.type().name().toLowerCase(Locale.ROOT);
        };
    }

    // ---- typed reads of a host's resolved variables ----

    private Var var(String host, String name) {
        return hostVars.get(host).get(name);
    }

    private Object value(String host, String name) {
        Var v = var(host, name);
        return v != null ? v.value() : defaults.get(name);
    }

    private Source sourceOf(String host, String name, Source fallback) {
        Var v = var(host, name);
        return v != null && v.source().known() ? v.source() : fallback;
    }

    private String str(String host, String name, String dflt) {
        Object v = value(host, name);
        return v == null ? dflt : String.valueOf(v);
    }

    private int integer(String host, String name, int dflt) {
        Object v = value(host, name);
        return v instanceof Long l ? l.intValue() : dflt;
    }

    private boolean bool(String host, String name, boolean dflt) {
        Object v = value(host, name);
        return v instanceof Boolean b ? b : dflt;
    }

    // ---- nodes ----

    private Node node(String id, Source src) {
        String address = str(id, "ansible_host", id);
        if (var(id, "ansible_host") == null && !Net.isIp(id)) {
            if (id.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                diags.error("host '" + id + "' is not a valid IPv4 address", src,
                        "Fix the address, or use a name as the key and set its address with 'ansible_host'.");
            } else if (!Net.isHostname(id)) {
                diags.error("host '" + id + "' is neither an IP address nor a host name", src,
                        "Use the host's IP as the key, or set 'ansible_host' to its address.");
            }
        }
        List<String> groups = inv.groupsOf(id).stream().map(Group::name).toList();
        Object key = value(id, "ansible_ssh_private_key_file");
        return new Node(id, address, integer(id, "ansible_port", 22), str(id, "ansible_user", "root"),
                key == null ? Optional.empty() : Optional.of(String.valueOf(key)), str(id, "nodename", ""),
                str(id, "node_cluster", "nodes"), groups);
    }

    /** Pigsty's node_id_from_pg: a PG member without an explicit nodename is named after its instance. */
    private List<Node> fillNodenames(List<Node> nodes, List<PgCluster> pg) {
        Map<String, PgInstance> byIp = new HashMap<>();
        Map<String, String> clusterOf = new HashMap<>();
        for (PgCluster c : pg) {
            for (PgInstance i : c.instances()) {
                byIp.putIfAbsent(i.ip(), i);
                clusterOf.putIfAbsent(i.ip(), c.name());
            }
        }
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            PgInstance i = byIp.get(n.id());
            boolean fromPg = bool(n.id(), "node_id_from_pg", true);
            String name = n.nodename().isEmpty() && i != null && fromPg ? i.name() : n.nodename();
            String cluster = var(n.id(), "node_cluster") == null && i != null && fromPg ? clusterOf.get(n.id()) : n.nodeCluster();
            out.add(new Node(n.id(), n.address(), n.sshPort(), n.sshUser(), n.privateKeyFile(), name, cluster, n.groups()));
        }
        return out;
    }

    // ---- infra, etcd, minio ----

    private List<InfraNode> infra() {
        Group g = inv.groups().get("infra");
        List<InfraNode> out = new ArrayList<>();
        if (g == null) {
            return out;
        }
        Map<Integer, String> seen = new HashMap<>();
        for (String h : inv.members(g)) {
            Optional<Integer> seq = requiredSeq(h, "infra_seq", g, seen);
            seq.ifPresent(s -> out.add(new InfraNode(s, h)));
        }
        return out;
    }

    private Optional<EtcdCluster> etcd() {
        Group etcdGroup = null;
        for (Group g : inv.groups().values()) {
            if (g.var("etcd_cluster") != null) {
                if (etcdGroup != null) {
                    diags.error("a second etcd cluster is defined in group '" + g.name() + "'",
                            g.vars().entries().get("etcd_cluster").keySource(),
                            "pig manages one etcd cluster (group '" + etcdGroup.name() + "'); merge the members into it.");
                    continue;
                }
                etcdGroup = g;
            }
        }
        if (etcdGroup == null) {
            Group named = inv.groups().get("etcd");
            if (named != null) {
                diags.error("group 'etcd' has no 'etcd_cluster' in its vars", named.source(),
                        "Add 'vars: { etcd_cluster: etcd }' to the etcd group.");
            }
            return Optional.empty();
        }
        String name = String.valueOf(etcdGroup.var("etcd_cluster").plain());
        checkClusterName(name, etcdGroup.var("etcd_cluster").source());
        Map<Integer, String> seen = new HashMap<>();
        List<EtcdCluster.Member> members = new ArrayList<>();
        for (String h : inv.members(etcdGroup)) {
            Optional<Integer> seq = requiredSeq(h, "etcd_seq", etcdGroup, seen);
            final String host = h;
            seq.ifPresent(s -> members.add(new EtcdCluster.Member(s, host, name + "-" + s,
                    integer(host, "etcd_port", 2379), integer(host, "etcd_peer_port", 2380))));
        }
        if (members.isEmpty() && inv.members(etcdGroup).isEmpty()) {
            diags.error("etcd group '" + etcdGroup.name() + "' has no hosts", etcdGroup.source(),
                    "Add at least one host with 'etcd_seq: 1' (three or five for a highly available DCS).");
        }
        return Optional.of(new EtcdCluster(name, etcdGroup.name(), List.copyOf(members)));
    }

    private MinioCluster minio(Group g) {
        String name = String.valueOf(g.var("minio_cluster").plain());
        checkClusterName(name, g.var("minio_cluster").source());
        Map<Integer, String> seen = new HashMap<>();
        List<MinioCluster.Member> members = new ArrayList<>();
        for (String h : inv.members(g)) {
            requiredSeq(h, "minio_seq", g, seen).ifPresent(s -> members.add(new MinioCluster.Member(s, h, integer(h, "minio_port", 9000))));
        }
        return new MinioCluster(name, g.name(), List.copyOf(members));
    }

    /** Reads a required per-host sequence number, unique within its group. */
    private Optional<Integer> requiredSeq(String host, String param, Group g, Map<Integer, String> seen) {
        Var v = var(host, param);
        Source hostSrc = g.hostSources().getOrDefault(host, inv.hosts().get(host));
        if (v == null) {
            diags.error("host " + host + " in group '" + g.name() + "' has no '" + param + "'", hostSrc,
                    "Give every host of the group a unique number, for example: " + host + ": { " + param + ": 1 }");
            return Optional.empty();
        }
        if (!(v.value() instanceof Long l) || l < 0) {
            return Optional.empty(); // the type check has reported it
        }
        int seq = l.intValue();
        String other = seen.putIfAbsent(seq, host);
        if (other != null) {
            diags.error("'" + param + ": " + seq + "' is used by both " + other + " and " + host + " in group '" + g.name() + "'",
                    v.source(), "Each host of the group needs its own " + param + ".");
        }
        return Optional.of(seq);
    }

    private void checkClusterName(String name, Source at) {
        if (!CLUSTER_NAME.matcher(name).matches()) {
            diags.error("cluster name '" + name + "' is invalid", at,
                    "Use only letters, digits and '-' (Pigsty's rule), for example 'pg-test'.");
        }
    }

    // ---- PostgreSQL ----

    private PgCluster pgCluster(Group g, Map<String, String> clusterOfHost) {
        YNode nameNode = g.var("pg_cluster");
        String name = String.valueOf(nameNode.plain());
        checkClusterName(name, nameNode.source());
        String first = inv.members(g).stream().findFirst().orElse(null);
        List<PgInstance> instances = new ArrayList<>();
        Map<Integer, String> seen = new HashMap<>();
        // hosts meant as primaries, counted before a host in two clusters is left out, so one
        // error does not hide the other
        List<String> primaries = new ArrayList<>();
        for (String h : inv.members(g)) {
            String other = clusterOfHost.putIfAbsent(h, g.name());
            if (other != null) {
                diags.error("host " + h + " is in two PostgreSQL clusters: '" + other + "' and '" + g.name() + "'",
                        g.hostSources().getOrDefault(h, inv.hosts().get(h)),
                        "A host runs one PostgreSQL instance; remove it from one of the two groups.");
                Var r = var(h, "pg_role");
                if (r != null && "primary".equals(String.valueOf(r.value()))) {
                    primaries.add(h);
                }
                continue;
            }
            Optional<Integer> seq = requiredSeq(h, "pg_seq", g, seen);
            Var roleVar = var(h, "pg_role");
            Source hostSrc = g.hostSources().getOrDefault(h, inv.hosts().get(h));
            PgRole role = null;
            if (roleVar == null) {
                diags.error("host " + h + " in PostgreSQL cluster '" + name + "' has no 'pg_role'", hostSrc,
                        "Set 'pg_role: primary' on one host and 'pg_role: replica' (or offline) on the others.");
            } else {
                String r = String.valueOf(roleVar.value());
                try {
                    role = PgRole.valueOf(r.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    role = null; // reported by the parameter's type check
                }
            }
            if (seq.isEmpty() || role == null) {
                continue;
            }
            Optional<String> upstream = Optional.ofNullable(value(h, "pg_upstream")).map(String::valueOf);
            upstream.ifPresent(u -> {
                if (!Net.isIp(u) && !u.contains("{{")) {
                    diags.error("pg_upstream '" + u + "' on host " + h + " is not an IP address",
                            sourceOf(h, "pg_upstream", hostSrc), "Set it to the IP of the instance to replicate from.");
                }
            });
            PgInstance inst = new PgInstance(name, seq.get(), role, h, name + "-" + seq.get(),
                    name + "-" + role.value(), upstream, bool(h, "pg_offline_query", false),
                    integer(h, "pg_weight", 100), integer(h, "pg_port", 5432));
            instances.add(inst);
            if (role == PgRole.PRIMARY) {
                primaries.add(h);
            }
        }
        if (primaries.isEmpty() && !instances.isEmpty()) {
            diags.error("PostgreSQL cluster '" + name + "' has no primary", g.source(),
                    "Set 'pg_role: primary' on exactly one of its hosts.");
        } else if (primaries.size() > 1) {
            String second = primaries.get(1);
            diags.error("PostgreSQL cluster '" + name + "' has " + primaries.size() + " primaries: "
                            + String.join(", ", primaries),
                    primarySource(g, second),
                    "Exactly one host of a cluster is the primary; make the others 'replica'.");
        }
        if (inv.members(g).isEmpty()) {
            diags.error("PostgreSQL cluster '" + name + "' has no hosts", g.source(), "Add its hosts under 'hosts:'.");
        }
        checkReplication(name, g, instances);
        checkClusterWide(name, g, instances);
        if (first != null) {
            checkRto(first, g);
        }
        String h = first == null ? "" : first;
        List<PgUser> users = first == null ? List.of() : users(h, "pg_users");
        List<PgDatabase> dbs = first == null ? List.of() : databases(h);
        if (first != null) {
            checkDefaultPrivileges(h);
            checkExtensionNames(h);
        }
        List<HbaRule> hba = new ArrayList<>();
        List<HbaRule> pgbHba = new ArrayList<>();
        List<PgService> services = new ArrayList<>();
        if (first != null) {
            hba.addAll(hbaRules(h, "pg_default_hba_rules"));
            hba.addAll(hbaRules(h, "pg_hba_rules"));
            pgbHba.addAll(hbaRules(h, "pgb_default_hba_rules"));
            pgbHba.addAll(hbaRules(h, "pgb_hba_rules"));
            services.addAll(services(h, "pg_default_services"));
            services.addAll(services(h, "pg_services"));
        }
        Optional<String> vip = first != null && bool(h, "pg_vip_enabled", false)
                ? Optional.ofNullable(value(h, "pg_vip_address")).map(String::valueOf) : Optional.empty();
        if (first != null && bool(h, "pg_vip_enabled", false) && vip.isEmpty()) {
            diags.error("pg_vip_enabled is true for cluster '" + name + "' but pg_vip_address is not set",
                    sourceOf(h, "pg_vip_enabled", g.source()), "Set pg_vip_address to an address with prefix length, like 10.10.10.3/24.");
        }
        int version = first == null ? 0 : integer(h, "pg_version", 18);
        instances.sort(java.util.Comparator.comparingInt(PgInstance::seq));
        return new PgCluster(name, g.name(), version, List.copyOf(instances), users, dbs, List.copyOf(hba),
                List.copyOf(pgbHba), List.copyOf(services), vip);
    }

    /**
     * A database's {@code baseline} as the file to run: an absolute path as it is, a relative one
     * under the inventory's {@code files/} directory (Pigsty's layout), else next to the
     * inventory. A missing file is a warning here, since a database that exists never runs it;
     * creating one without it fails at plan time.
     */
    private Optional<String> baseline(String db, Fields f) {
        Optional<String> given = f.string("baseline");
        if (given.isEmpty()) {
            return given;
        }
        Path named = Path.of(given.get());
        Path dir = Optional.ofNullable(Path.of(inv.file()).toAbsolutePath().getParent()).orElse(Path.of("").toAbsolutePath());
        List<Path> candidates = named.isAbsolute() ? List.of(named) : List.of(dir.resolve("files").resolve(named), dir.resolve(named));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return Optional.of(c.normalize().toString());
            }
        }
        diags.warning("baseline '" + given.get() + "' of database '" + db + "' is not found (looked for "
                        + String.join(", ", candidates.stream().map(c -> c.normalize().toString()).toList()) + ")",
                f.node("baseline").source(), "Put the SQL file there, or remove 'baseline': creating the database fails without it.");
        return Optional.of(candidates.get(0).normalize().toString());
    }

    /** Each entry of {@code pg_default_privileges} must be a GRANT pig can compare with the catalog. */
    private void checkDefaultPrivileges(String host) {
        Var v = var(host, "pg_default_privileges");
        if (v == null || !(v.node() instanceof YNode.Seq seq)) {
            return;
        }
        for (YNode item : seq.items()) {
            if (item instanceof YNode.Scalar sc && sc.value() != null) {
                try {
                    DefaultPrivilege.parse(String.valueOf(sc.value()));
                } catch (IllegalArgumentException e) {
                    diags.error("pg_default_privileges entry '" + sc.value() + "' is not a grant pig can apply: " + e.getMessage(),
                            item.source(), "Write each entry as Pigsty does, e.g. 'GRANT SELECT ON TABLES TO dbrole_readonly';"
                                    + " pig runs it as ALTER DEFAULT PRIVILEGES FOR ROLE <creator> <entry>.");
                }
            }
        }
    }

    /** Each name of {@code pg_extensions} (an item may hold several, "a, b") is one pig knows. */
    private void checkExtensionNames(String host) {
        Var v = var(host, "pg_extensions");
        if (v == null || !(v.node() instanceof YNode.Seq seq)) {
            return;
        }
        for (YNode item : seq.items()) {
            if (item instanceof YNode.Scalar sc && sc.value() != null) {
                for (String name : ExtensionCatalog.names(List.of(String.valueOf(sc.value())))) {
                    checkExtensionName(name, sc.source());
                }
            }
        }
    }

    /**
     * An extension name pig cannot map to a package is a warning, not an error: the cluster may
     * have it already, or install it from a package source pig does not know.
     */
    private void checkExtensionName(String name, Source at) {
        ExtensionCatalog ext = ExtensionCatalog.builtIn();
        if (ext.knows(name) || name.contains("{{") || !warnedExtensions.add(at + "/" + name)) {
            return;
        }
        diags.warning("extension '" + name + "' is not in pig's extension catalog", at,
                ext.closest(name).map(c -> "Did you mean '" + c + "'? ").orElse("")
                        + "pig cannot tell which package provides it; 'pig ext list' shows the names it knows.");
    }

    /**
     * Where a host of a group says {@code pg_role: primary}: in the group's own entry for the host
     * when it is there (a host in two clusters resolves one role for both), else where it resolved.
     */
    private Source primarySource(Group g, String host) {
        YNode.Map own = g.hostVars().get(host);
        if (own != null && own.entries().get("pg_role") != null) {
            return own.entries().get("pg_role").keySource();
        }
        return sourceOf(host, "pg_role", g.source());
    }

    /**
     * Pigsty's replication topology: {@code pg_upstream} on a primary names another cluster's
     * primary (this cluster is a standby cluster), on a replica another member of the same cluster
     * (it cascades); {@code pg_delay} delays a standby cluster's leader or a {@code delayed} instance.
     */
    private void checkReplication(String cluster, Group g, List<PgInstance> instances) {
        Map<String, PgInstance> byIp = new LinkedHashMap<>();
        instances.forEach(i -> byIp.put(i.ip(), i));
        for (PgInstance i : instances) {
            Source hostSrc = g.hostSources().getOrDefault(i.ip(), inv.hosts().get(i.ip()));
            Optional<String> up = i.upstream().filter(Net::isIp);
            if (up.isPresent()) {
                String u = up.get();
                Source src = sourceOf(i.ip(), "pg_upstream", hostSrc);
                if (u.equals(i.ip())) {
                    diags.error("pg_upstream of host " + i.ip() + " is the host itself", src,
                            "On a primary, pg_upstream names the primary of the cluster to follow (a standby cluster);\n"
                                    + "on a replica, another member of its cluster to cascade from.");
                } else if (i.role() == PgRole.PRIMARY && byIp.containsKey(u)) {
                    diags.error("pg_upstream " + u + " on the primary of '" + cluster + "' is one of its own instances", src,
                            "On a primary, pg_upstream makes a standby cluster of another cluster: set it to that cluster's primary.\n"
                                    + "To cascade a replica from " + u + ", set pg_upstream on the replica instead.");
                } else if (i.role() != PgRole.PRIMARY && !byIp.containsKey(u)) {
                    List<String> others = byIp.keySet().stream().filter(ip -> !ip.equals(i.ip())).toList();
                    diags.error("pg_upstream " + u + " on replica " + i.ip() + " is not an instance of '" + cluster + "'", src,
                            "A replica cascades from another member of its own cluster"
                                    + (others.isEmpty() ? "." : ": use one of " + String.join(", ", others) + "."));
                }
            }
            Object delay = value(i.ip(), "pg_delay");
            boolean delayed = delay != null && !String.valueOf(delay).isBlank() && !String.valueOf(delay).trim().matches("0+");
            boolean standbyLeader = i.role() == PgRole.PRIMARY && i.upstream().isPresent();
            if (delayed && !standbyLeader && i.role() != PgRole.DELAYED) {
                diags.warning("pg_delay on host " + i.ip() + " (" + i.role().value() + ") has no effect", sourceOf(i.ip(), "pg_delay", hostSrc),
                        "pg_delay delays the primary of a standby cluster (with pg_upstream) or an instance with 'pg_role: delayed'.");
            }
            if (!delayed && i.role() == PgRole.DELAYED) {
                diags.warning("host " + i.ip() + " has 'pg_role: delayed' but no pg_delay: it applies WAL without delay",
                        sourceOf(i.ip(), "pg_role", hostSrc), "Set pg_delay on it, like 'pg_delay: 1h'.");
            }
        }
    }

    /**
     * Settings Patroni keeps cluster-wide ({@link PatroniSettings#CLUSTER_WIDE}) cannot differ
     * between instances: the leader's would win, and change again with each switchover.
     */
    private void checkClusterWide(String cluster, Group g, List<PgInstance> instances) {
        if (instances.size() < 2) {
            return;
        }
        PgInstance first = instances.get(0);
        Map<?, ?> base = value(first.ip(), "pg_parameters") instanceof Map<?, ?> m ? m : Map.of();
        for (PgInstance i : instances.subList(1, instances.size())) {
            Map<?, ?> mine = value(i.ip(), "pg_parameters") instanceof Map<?, ?> m ? m : Map.of();
            for (String k : new java.util.TreeSet<>(PatroniSettings.CLUSTER_WIDE)) {
                Object a = base.get(k);
                Object b = mine.get(k);
                if (!String.valueOf(a).equals(String.valueOf(b))) {
                    Source hostSrc = g.hostSources().getOrDefault(i.ip(), inv.hosts().get(i.ip()));
                    diags.error("pg_parameters." + k + " is " + (b == null ? "not set" : "'" + b + "'") + " on " + i.ip()
                                    + " but " + (a == null ? "not set" : "'" + a + "'") + " on " + first.ip(),
                            sourceOf(i.ip(), "pg_parameters", hostSrc),
                            k + " is cluster-wide: Patroni keeps it in the DCS for every instance of '" + cluster
                                    + "'. Set it once, in the cluster's vars.");
                }
            }
        }
    }

    /** {@code pg_rto}: a mode or seconds, whose row of {@code pg_rto_plan} has the ten values Patroni and HAProxy take. */
    private void checkRto(String h, Group g) {
        Object rto = value(h, "pg_rto");
        Optional<RtoMode> mode = RtoMode.of(rto);
        List<String> modes = java.util.Arrays.stream(RtoMode.values()).map(RtoMode::key).toList();
        if (mode.isEmpty()) {
            diags.error("pg_rto '" + rto + "' is neither a recovery mode nor seconds", sourceOf(h, "pg_rto", g.source()),
                    "Write one of " + String.join(", ", modes) + " (Pigsty's modes), or the seconds to recover in, like 'pg_rto: 30'.");
            return;
        }
        if (value(h, "pg_rto_plan") instanceof Map<?, ?> plan
                && (!(plan.get(mode.get().key()) instanceof List<?> row) || row.size() != 10)) {
            diags.error("pg_rto_plan has no row of 10 values for mode '" + mode.get().key() + "' (pg_rto: " + rto + ")",
                    sourceOf(h, "pg_rto_plan", g.source()),
                    "Give it a row [ttl, loop, retry, start, margin, inter, fastinter, downinter, rise, fall],"
                            + " like norm: [ 30, 5, 10, 25, 5, '2s', '1s', '2s', 3, 3 ].");
        }
    }

    /** The entries of a list parameter as mappings, each entry not a mapping reported. */
    private List<YNode.Map> entries(String host, String param) {
        Var v = var(host, param);
        List<YNode.Map> out = new ArrayList<>();
        YNode node = v != null ? v.node() : YNode.of(defaults.get(param), Source.NONE);
        if (node instanceof YNode.Seq seq) {
            for (YNode item : seq.items()) {
                if (item instanceof YNode.Map m) {
                    out.add(m);
                } else {
                    diags.error("each entry of " + param + " must be a mapping, not " + YNode.kindOf(item), item.source(),
                            "Write entries as '- { name: ... }'.");
                }
            }
        }
        return out;
    }

    private List<PgUser> users(String host, String param) {
        List<PgUser> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YNode.Map m : entries(host, param)) {
            Fields f = new Fields(m, param + " entry", diags).known(USER_FIELDS);
            Optional<String> name = f.string("name");
            if (name.isEmpty()) {
                diags.error("an entry of " + param + " has no 'name'", m.source(), "Every user needs a name: - { name: dbuser_app, ... }");
                continue;
            }
            if (!names.add(name.get())) {
                diags.error("user '" + name.get() + "' is listed twice in " + param, m.source(), "Keep one entry per user.");
            }
            String state = f.string("state", "create");
            if (!state.equals("create") && !state.equals("absent")) {
                diags.error("user '" + name.get() + "': state must be create or absent, got '" + state + "'",
                        f.node("state").source(), "Use 'state: absent' to drop the user, or leave it out.");
            }
            f.string("expire_at").ifPresent(at -> {
                try {
                    java.time.LocalDate.parse(at);
                } catch (java.time.format.DateTimeParseException e) {
                    diags.error("user '" + name.get() + "': expire_at must be a date like 2030-12-31, got '" + at + "'",
                            f.node("expire_at").source(), "Write the day the user expires on as YYYY-MM-DD, or use expire_in: DAYS.");
                }
            });
            f.integer("expire_in").filter(n -> n < 0).ifPresent(n -> diags.error("user '" + name.get()
                    + "': expire_in must be 0 or more days, got " + n, f.node("expire_in").source(),
                    "expire_in counts the days from the run; give expire_at for a fixed day."));
            out.add(new PgUser(name.get(), f.string("password").map(Secret::new), f.bool("login", true),
                    f.bool("superuser", false), f.bool("createdb", false), f.bool("createrole", false),
                    f.bool("inherit", true), f.bool("replication", false), f.bool("bypassrls", false),
                    f.integer("connlimit", -1), f.integer("expire_in"), f.string("expire_at"), f.strings("roles"),
                    f.dict("parameters"), f.string("comment", ""), f.bool("pgbouncer", false), f.string("pool_mode"),
                    f.integer("pool_connlimit"), state.equals("absent") ? PgUser.State.ABSENT : PgUser.State.CREATE));
        }
        return List.copyOf(out);
    }

    private List<PgDatabase> databases(String host) {
        List<PgDatabase> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YNode.Map m : entries(host, "pg_databases")) {
            Fields f = new Fields(m, "pg_databases entry", diags).known(DB_FIELDS);
            Optional<String> name = f.string("name");
            if (name.isEmpty()) {
                diags.error("an entry of pg_databases has no 'name'", m.source(), "Every database needs a name: - { name: app, owner: dbuser_app }");
                continue;
            }
            if (!names.add(name.get())) {
                diags.error("database '" + name.get() + "' is listed twice in pg_databases", m.source(), "Keep one entry per database.");
            }
            String state = f.string("state", "create");
            PgDatabase.State st = switch (state) {
                case "absent" -> PgDatabase.State.ABSENT;
                case "recreate" -> PgDatabase.State.RECREATE;
                case "create" -> PgDatabase.State.CREATE;
                default -> {
                    diags.error("database '" + name.get() + "': state must be create, absent or recreate, got '" + state + "'",
                            f.node("state").source(), "Leave 'state' out to create the database.");
                    yield PgDatabase.State.CREATE;
                }
            };
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
            List<PgDatabase.Extension> exts = new ArrayList<>();
            if (f.node("extensions") instanceof YNode.Seq seq) {
                for (YNode e : seq.items()) {
                    if (e instanceof YNode.Scalar sc && sc.value() != null) {
                        checkExtensionName(String.valueOf(sc.value()), sc.source());
                        exts.add(new PgDatabase.Extension(String.valueOf(sc.value()), Optional.empty(), Optional.empty()));
                    } else if (e instanceof YNode.Map em) {
                        Fields ef = new Fields(em, "extension of database " + name.get(), diags);
                        Optional<String> en = ef.string("name");
                        if (en.isEmpty()) {
                            diags.error("an extension of database '" + name.get() + "' has no 'name'", em.source(),
                                    "Write extensions as - { name: postgis, schema: public }.");
                        } else {
                            checkExtensionName(en.get(), ef.source("name"));
                            exts.add(new PgDatabase.Extension(en.get(), ef.string("schema"), ef.string("version")));
                        }
                    }
                }
            }
            out.add(new PgDatabase(name.get(), f.string("owner"), f.string("template"), f.string("encoding"),
                    f.string("locale"), f.string("lc_collate"), f.string("lc_ctype"), f.string("tablespace"),
                    f.bool("allowconn", true), f.bool("revokeconn", false), f.integer("connlimit", -1),
                    List.copyOf(schemas), List.copyOf(exts), f.string("comment", ""), baseline(name.get(), f),
                    f.bool("pgbouncer", true), f.string("pool_mode"), f.integer("pool_size"),
                    f.integer("pool_size_reserve").or(() -> f.integer("pool_reserve")), f.integer("pool_size_min"),
                    f.integer("pool_max_db_conn").or(() -> f.integer("pool_connlimit")), st));
        }
        return List.copyOf(out);
    }

    private List<HbaRule> hbaRules(String host, String param) {
        List<HbaRule> out = new ArrayList<>();
        for (YNode.Map m : entries(host, param)) {
            Fields f = new Fields(m, param + " entry", diags).known(HBA_FIELDS);
            List<String> rules = f.strings("rules");
            String role = f.string("role", "common");
            if (!Set.of("common", "primary", "replica", "offline", "standby", "delayed").contains(role)) {
                diags.error("HBA rule role must be common, primary, replica or offline, got '" + role + "'",
                        f.node("role").source(), "Leave 'role' out for a rule that applies on every instance.");
            }
            if (rules.isEmpty() && (f.string("addr").isEmpty() || f.string("auth").isEmpty())) {
                diags.error("an HBA rule needs either 'rules' (raw pg_hba lines) or 'addr' and 'auth'", m.source(),
                        "For example: - { user: all, db: all, addr: intra, auth: pwd, title: 'intranet password access' }");
                continue;
            }
            f.string("addr").ifPresent(a -> {
                if (!Set.of("local", "localhost", "admin", "infra", "cluster", "intra", "world").contains(a)
                        && !Net.isCidr(a) && !Net.isIp(a) && !a.equals("all") && !a.contains("{{")) {
                    diags.error("HBA address '" + a + "' is neither an alias nor a CIDR", f.node("addr").source(),
                            "Use local, localhost, admin, infra, cluster, intra, world, or a CIDR like 10.0.0.0/8.");
                }
            });
            out.add(new HbaRule(f.string("title", ""), f.string("user", "all"), f.string("db", "all"),
                    f.string("addr", ""), f.string("auth", ""), role, f.integer("order", 1000), rules));
        }
        return out;
    }

    private List<PgService> services(String host, String param) {
        List<PgService> out = new ArrayList<>();
        for (YNode.Map m : entries(host, param)) {
            Fields f = new Fields(m, param + " entry", diags).known(SERVICE_FIELDS);
            Optional<String> name = f.string("name");
            Optional<Integer> port = f.integer("port");
            if (name.isEmpty() || port.isEmpty() || f.string("selector").isEmpty()) {
                diags.error("a service of " + param + " needs 'name', 'port' and 'selector'", m.source(),
                        "For example: - { name: standby, port: 5435, dest: default, selector: \"[]\", backup: \"[? pg_role == `primary`]\" }");
                continue;
            }
            String selector = f.string("selector", "[]");
            String dest = f.string("dest", "default");
            if (!List.of("default", "postgres", "pgbouncer").contains(dest) && !dest.matches("\\d{1,5}")) {
                diags.error("service '" + name.get() + "' has dest '" + dest + "'", f.source("dest"),
                        "Use default (pg_default_service_dest), postgres, pgbouncer or a port number.");
            }
            String backup = f.string("backup", "");
            String where = layerOf(host, param);
            checkSelector("selector of service '" + name.get() + "' in " + where, selector, f.source("selector"));
            if (!backup.isBlank()) {
                checkSelector("backup selector of service '" + name.get() + "' in " + where, backup, f.source("backup"));
            }
            out.add(new PgService(name.get(), port.get(), f.string("ip", "*"), selector,
                    backup, dest, f.string("check", "/"),
                    f.integer("maxconn", 5000), f.string("balance", "roundrobin"), f.string("options", "")));
        }
        return out;
    }

    /** A selector that HAProxy's config would be built from must parse; Jinja ones are Ansible's to render. */
    private void checkSelector(String what, String selector, Source at) {
        if (selector.contains("{{")) {
            return;
        }
        try {
            MemberSelector.parse(selector);
        } catch (MemberSelector.SyntaxError e) {
            diags.error("invalid " + what + ": " + e.getMessage(), at,
                    "Selectors are JMESPath over the cluster's members, like \"[? pg_role == `replica` ]\";\n"
                            + "'[]' selects every member, and literals are written in backticks: `1`, `true`, `primary`.");
        }
    }

    /** Which layer of the inventory set a host's variable, named as the unknown-parameter check names it. */
    private String layerOf(String host, String param) {
        Var v = var(host, param);
        if (v == null) {
            return "the defaults";
        }
        return switch (v.origin()) {
            case GROUP -> v.detail() + ".vars";
            case HOST -> "host " + host;
            case ALL_VARS -> "all.vars";
            case EXTRA -> "the extra vars (-e)";
            case DEFAULT -> "the defaults";
        };
    }

    // ---- Redis ----

    private RedisCluster redis(Group g) {
        String name = String.valueOf(g.var("redis_cluster").plain());
        checkClusterName(name, g.var("redis_cluster").source());
        String first = inv.members(g).stream().findFirst().orElse("");
        String modeText = first.isEmpty() ? "standalone" : str(first, "redis_mode", "standalone");
        RedisCluster.Mode mode;
        try {
            mode = RedisCluster.Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            mode = RedisCluster.Mode.STANDALONE; // the type check has reported it
        }
        Map<Integer, String> seen = new HashMap<>();
        List<RedisCluster.RedisNode> nodes = new ArrayList<>();
        for (String h : inv.members(g)) {
            Optional<Integer> seq = requiredSeq(h, "redis_node", g, seen);
            if (seq.isEmpty()) {
                continue;
            }
            List<RedisCluster.Instance> instances = new ArrayList<>();
            Var iv = var(h, "redis_instances");
            if (iv == null || !(iv.node() instanceof YNode.Map im) || im.entries().isEmpty()) {
                diags.error("redis node " + h + " has no 'redis_instances'", g.hostSources().getOrDefault(h, g.source()),
                        "List its instances by port, for example: redis_instances: { 6379: {}, 6380: { replica_of: '" + h + " 6379' } }");
            } else {
                for (YNode.Entry e : im.entries().values()) {
                    Object port = dev.pig.core.inventory.YamlTree.typedKey(e.key());
                    if (!(port instanceof Long p) || p < 1 || p > 65535) {
                        diags.error("redis instance key '" + e.key() + "' is not a port number", e.keySource(),
                                "Key each instance by its port, like 6379.");
                        continue;
                    }
                    Optional<String> replicaOf = e.value() instanceof YNode.Map vm && vm.get("replica_of") != null
                            ? Optional.of(String.valueOf(vm.get("replica_of").plain())) : Optional.empty();
                    instances.add(new RedisCluster.Instance(p.intValue(), name + "-" + seq.get() + "-" + p, replicaOf));
                }
            }
            nodes.add(new RedisCluster.RedisNode(seq.get(), h, List.copyOf(instances)));
        }
        return new RedisCluster(name, g.name(), mode, List.copyOf(nodes));
    }

    // ---- port clashes ----

    private record PortUse(String what, Source source) {
    }

    /**
     * Every port a deployment opens on a host, checked for clashes: NODE's exporters on every
     * host, etcd, MinIO, PostgreSQL with Patroni, PgBouncer, their exporters and the HAProxy
     * services, and Redis instances.
     */
    private void checkPorts(List<PgCluster> pg, List<RedisCluster> redis, Optional<EtcdCluster> etcd, List<MinioCluster> minio) {
        Map<String, Map<Integer, List<PortUse>>> byHost = new TreeMap<>();
        for (String h : inv.hosts().keySet()) {
            if (bool(h, "node_exporter_enabled", true)) {
                use(byHost, h, "node_exporter_port", "node_exporter (node_exporter_port)");
            }
            if (bool(h, "haproxy_enabled", true)) {
                use(byHost, h, "haproxy_exporter_port", "HAProxy admin and metrics (haproxy_exporter_port)");
            }
        }
        for (PgCluster c : pg) {
            for (PgInstance i : c.instances()) {
                String h = i.ip();
                use(byHost, h, "pg_port", "PostgreSQL (pg_port)");
                boolean pgbouncer = bool(h, "pgbouncer_enabled", true);
                if (pgbouncer) {
                    use(byHost, h, "pgbouncer_port", "PgBouncer (pgbouncer_port)");
                }
                if (bool(h, "patroni_enabled", true)) {
                    use(byHost, h, "patroni_port", "Patroni (patroni_port)");
                }
                if (bool(h, "pg_exporter_enabled", true)) {
                    use(byHost, h, "pg_exporter_port", "pg_exporter (pg_exporter_port)");
                }
                if (pgbouncer && bool(h, "pgbouncer_exporter_enabled", true)) {
                    use(byHost, h, "pgbouncer_exporter_port", "pgbouncer_exporter (pgbouncer_exporter_port)");
                }
                for (PgService s : c.services()) {
                    add(byHost, h, s.port(), "service " + c.name() + "-" + s.name(), Source.NONE);
                }
            }
        }
        etcd.ifPresent(e -> e.members().forEach(m -> {
            use(byHost, m.ip(), "etcd_port", "etcd client (etcd_port)");
            use(byHost, m.ip(), "etcd_peer_port", "etcd peer (etcd_peer_port)");
        }));
        for (MinioCluster c : minio) {
            c.members().forEach(m -> use(byHost, m.ip(), "minio_port", "MinIO (minio_port)"));
        }
        for (RedisCluster c : redis) {
            for (RedisCluster.RedisNode n : c.nodes()) {
                Var iv = var(n.ip(), "redis_instances");
                for (RedisCluster.Instance i : n.instances()) {
                    Source s = iv != null && iv.node() instanceof YNode.Map m && m.entries().get(String.valueOf(i.port())) != null
                            ? m.entries().get(String.valueOf(i.port())).keySource() : Source.NONE;
                    add(byHost, n.ip(), i.port(), "Redis " + i.name(), s);
                }
            }
        }
        for (Map.Entry<String, Map<Integer, List<PortUse>>> h : byHost.entrySet()) {
            for (Map.Entry<Integer, List<PortUse>> p : h.getValue().entrySet()) {
                List<PortUse> uses = p.getValue();
                if (uses.size() > 1) {
                    Source at = uses.stream().map(PortUse::source).filter(Source::known).reduce((a, b) -> b)
                            .orElse(inv.hosts().getOrDefault(h.getKey(), Source.NONE));
                    diags.error("port " + p.getKey() + " on host " + h.getKey() + " is used by "
                                    + String.join(" and ", uses.stream().map(PortUse::what).toList()), at,
                            "Give each service on a host its own port.");
                }
            }
        }
    }

    private void use(Map<String, Map<Integer, List<PortUse>>> byHost, String host, String param, String what) {
        Object v = value(host, param);
        if (v instanceof Long p) {
            Var var = var(host, param);
            add(byHost, host, p.intValue(), what, var != null && var.origin() != Origin.DEFAULT ? var.node().source() : Source.NONE);
        }
    }

    private static void add(Map<String, Map<Integer, List<PortUse>>> byHost, String host, int port, String what, Source s) {
        byHost.computeIfAbsent(host, k -> new TreeMap<>()).computeIfAbsent(port, k -> new ArrayList<>()).add(new PortUse(what, s));
    }
}
