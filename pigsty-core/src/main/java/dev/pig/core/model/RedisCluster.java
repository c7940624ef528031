package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;
import dev.pig.core.inventory.YamlTree;

/**
 * A Redis cluster: a group with {@code redis_cluster}; each host is a node ({@code redis_node})
 * running one instance per port of {@code redis_instances}, named {@code <cluster>-<node>-<port>}.
 *
 * <pre>
 * redis-ms:
 *   hosts: { 10.10.10.10: { redis_node: 1, redis_instances: { 6379: {}, 6380: { replica_of: '10.10.10.10 6379' } } } }
 *   vars: { redis_cluster: redis-ms, redis_mode: standalone }
 * redis-meta:
 *   hosts: { 10.10.10.11: { redis_node: 1, redis_instances: { 26379: {}, 26380: {}, 26381: {} } } }
 *   vars:
 *     redis_cluster: redis-meta
 *     redis_mode: sentinel
 *     redis_sentinel_monitor: [ { name: redis-ms, host: 10.10.10.10, port: 6379, password: redis.ms, quorum: 2, down_after: 3000 } ]
 * </pre>
 *
 * @param replicas {@code redis_cluster_replicas}: replicas per master of a native cluster
 * @param monitors {@code redis_sentinel_monitor} of a sentinel cluster; empty otherwise
 */
public record RedisCluster(String name, String group, Mode mode, List<RedisNode> nodes, int replicas, List<Monitor> monitors) {

    /** {@code redis_mode}. */
    public enum Mode {
        STANDALONE, SENTINEL, CLUSTER
    }

    /**
     * One host of the cluster.
     *
     * @param exporterPort where the node's redis_exporter listens, when {@code redis_exporter_enabled}
     */
    public record RedisNode(int seq, String ip, List<Instance> instances, OptionalInt exporterPort) {
    }

    /** One redis-server (or sentinel) on a port of a node; {@code replicaOf} is the inventory's {@code replica_of}. */
    public record Instance(String ip, int port, String name, Optional<Endpoint> replicaOf) {
        public Endpoint endpoint() {
            return new Endpoint(ip, port);
        }
    }

    /** A Redis address, {@code 10.10.10.10 6379} in Pigsty's {@code replica_of}. */
    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * A master a sentinel cluster watches, an entry of {@code redis_sentinel_monitor}.
     *
     * @param downAfter {@code down_after}: milliseconds without an answer before a sentinel holds
     *                  the master down (Redis's down-after-milliseconds, 30000 unless set)
     * @param remove    {@code remove: true}: the sentinels stop watching it
     */
    public record Monitor(String name, String host, int port, int quorum, int downAfter, Optional<Secret> password, boolean remove) {
        public Endpoint endpoint() {
            return new Endpoint(host, port);
        }
    }

    /**
     * What a Prometheus scrapes for one instance, as Pigsty registers it: the node's exporter
     * probing {@code redis://ip:port}, labelled with the cluster and instance.
     *
     * @param exporter {@code ip:redis_exporter_port} of the node's exporter
     */
    public record ScrapeTarget(String cls, String ins, String ip, int port, String exporter) {
        /** The {@code target} parameter of the exporter's {@code /scrape} endpoint. */
        public String target() {
            return "redis://" + ip + ":" + port;
        }
    }

    /** Redis's default down-after-milliseconds. */
    public static final int DEFAULT_DOWN_AFTER = 30000;

    /** The fields of a {@code redis_sentinel_monitor} entry. */
    static final Set<String> MONITOR_FIELDS = Set.of("name", "host", "port", "password", "quorum", "down_after", "remove");
    /** What Redis accepts as a sentinel master name. */
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern REPLICA_OF = Pattern.compile("\\s*(\\S+)\\s+(\\d{1,5})\\s*");

    /** Every instance of the cluster, node by node. */
    public List<Instance> instances() {
        return nodes.stream().flatMap(n -> n.instances().stream()).toList();
    }

    public Optional<Instance> instance(Endpoint e) {
        return instances().stream().filter(i -> i.endpoint().equals(e)).findFirst();
    }

    public Optional<RedisNode> node(String ip) {
        return nodes.stream().filter(n -> n.ip().equals(ip)).findFirst();
    }

    /** The masters a native cluster is created with: one in every {@code redis_cluster_replicas + 1} instances. */
    public int masters() {
        return instances().size() / (replicas + 1);
    }

    /** What INFRA scrapes: every instance of a node whose exporter is enabled. */
    public List<ScrapeTarget> scrapeTargets() {
        List<ScrapeTarget> out = new ArrayList<>();
        for (RedisNode n : nodes) {
            if (n.exporterPort().isPresent()) {
                n.instances().forEach(i -> out.add(new ScrapeTarget(name, i.name(), n.ip(), i.port(),
                        n.ip() + ":" + n.exporterPort().getAsInt())));
            }
        }
        return out;
    }

    /** The cluster of a group whose vars set {@code redis_cluster}. */
    static RedisCluster read(BuildContext cx, Group g) {
        String name = String.valueOf(g.var("redis_cluster").plain());
        cx.checkClusterName(name, g.var("redis_cluster").source());
        String first = cx.inv.members(g).stream().findFirst().orElse("");
        String modeText = first.isEmpty() ? String.valueOf(cx.defaultValue("redis_mode")) : cx.str(first, "redis_mode");
        Mode mode;
        try {
            mode = Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            mode = Mode.STANDALONE; // the type check has reported it
        }
        if (!first.isEmpty() && cx.str(first, "redis_type").equals("valkey")) {
            cx.diags.error("redis_type valkey: pig deploys Debian's redis-server, and Debian 12 has no valkey package",
                    cx.sourceOf(first, "redis_type", g.source()), "Remove redis_type (redis is the default).");
        }
        Map<Integer, String> seen = new HashMap<>();
        List<RedisNode> nodes = new ArrayList<>();
        for (String h : cx.inv.members(g)) {
            Optional<Integer> seq = cx.requiredSeq(h, "redis_node", g, seen);
            if (seq.isEmpty()) {
                continue;
            }
            List<Instance> instances = new ArrayList<>();
            Var iv = cx.var(h, "redis_instances");
            if (iv == null || !(iv.node() instanceof YNode.Map im) || im.entries().isEmpty()) {
                cx.diags.error("redis node " + h + " has no 'redis_instances'", g.hostSources().getOrDefault(h, g.source()),
                        "List its instances by port, for example: redis_instances: { 6379: {}, 6380: { replica_of: '" + h + " 6379' } }");
            } else {
                for (YNode.Entry e : im.entries().values()) {
                    Object port = YamlTree.typedKey(e.key());
                    if (!(port instanceof Long p) || p < 1 || p > 65535) {
                        cx.diags.error("redis instance key '" + e.key() + "' is not a port number", e.keySource(),
                                "Key each instance by its port, like 6379.");
                        continue;
                    }
                    String instance = name + "-" + seq.get() + "-" + p;
                    instances.add(new Instance(h, p.intValue(), instance, replicaOf(cx, e, instance)));
                }
            }
            OptionalInt exporter = cx.bool(h, "redis_exporter_enabled") ? OptionalInt.of(cx.integer(h, "redis_exporter_port"))
                    : OptionalInt.empty();
            nodes.add(new RedisNode(seq.get(), h, List.copyOf(instances), exporter));
        }
        int replicas = first.isEmpty() ? 1 : cx.integer(first, "redis_cluster_replicas");
        List<Monitor> monitors = first.isEmpty() ? List.of() : monitors(cx, first);
        RedisCluster c = new RedisCluster(name, g.name(), mode, List.copyOf(nodes), replicas, monitors);
        c.checkMode(cx, g, first);
        return c;
    }

    /** {@code replica_of: '10.10.10.10 6379'} of an instance entry, when it has one and it reads as an address. */
    private static Optional<Endpoint> replicaOf(BuildContext cx, YNode.Entry e, String instance) {
        if (!(e.value() instanceof YNode.Map vm) || vm.get("replica_of") == null) {
            return Optional.empty();
        }
        YNode n = vm.get("replica_of");
        java.util.regex.Matcher m = REPLICA_OF.matcher(n instanceof YNode.Scalar s && s.value() != null ? String.valueOf(s.value()) : "");
        if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
            cx.diags.error("replica_of of redis instance " + instance + " is not an address and a port", n.source(),
                    "Write the master as Pigsty does, its IP and port separated by a space: replica_of: '10.10.10.10 6379'");
            return Optional.empty();
        }
        return Optional.of(new Endpoint(m.group(1), Integer.parseInt(m.group(2))));
    }

    /** The rules of {@code redis_mode}: what each mode needs and what it cannot have. */
    private void checkMode(BuildContext cx, Group g, String first) {
        if (first.isEmpty()) {
            return;
        }
        Source modeAt = cx.sourceOf(first, "redis_mode", g.source());
        if (mode == Mode.SENTINEL && monitors.isEmpty()) {
            cx.diags.error("redis cluster '" + name + "' is in sentinel mode but watches no master", modeAt,
                    "Name the masters its sentinels watch in redis_sentinel_monitor, for example:\n"
                            + "redis_sentinel_monitor: [ { name: redis-ms, host: 10.10.10.10, port: 6379, password: redis.ms, quorum: 2 } ]");
        }
        if (mode != Mode.SENTINEL && cx.var(first, "redis_sentinel_monitor") != null && !monitors.isEmpty()) {
            cx.diags.error("redis cluster '" + name + "' sets redis_sentinel_monitor but is not in sentinel mode",
                    cx.sourceOf(first, "redis_sentinel_monitor", g.source()),
                    "Only sentinels watch masters: set 'redis_mode: sentinel' on this group, or move the list to the sentinel cluster.");
        }
        if (mode == Mode.CLUSTER) {
            int n = instances().size();
            if (replicas < 0) {
                cx.diags.error("redis_cluster_replicas of '" + name + "' is " + replicas, cx.sourceOf(first, "redis_cluster_replicas", modeAt),
                        "Give the number of replicas per master, 0 or more.");
            } else if (n < 3 * (replicas + 1)) {
                cx.diags.error("redis cluster '" + name + "' would have " + masters() + " master" + (masters() == 1 ? "" : "s") + ": a native"
                                + " cluster needs at least three", modeAt,
                        n + " instance" + (n == 1 ? "" : "s") + " with redis_cluster_replicas " + replicas + " make " + masters()
                                + " master(s); redis-cli --cluster create needs " + 3 * (replicas + 1) + " instances for three masters\n"
                                + "with " + replicas + " replica(s) each. Add instances or lower redis_cluster_replicas.");
            }
        }
        if (mode != Mode.STANDALONE) {
            for (RedisNode node : nodes) {
                Var iv = cx.var(node.ip(), "redis_instances");
                for (Instance i : node.instances()) {
                    if (i.replicaOf().isPresent()) {
                        cx.diags.error("redis instance " + i.name() + " has replica_of, which " + mode.name().toLowerCase(Locale.ROOT)
                                        + " mode does not use", replicaOfSource(iv, i.port()),
                                mode == Mode.CLUSTER ? "A native cluster assigns its replicas itself (redis_cluster_replicas): remove replica_of."
                                        : "Sentinels replicate nothing: remove replica_of.");
                    }
                }
            }
        }
    }

    /** The entries of {@code redis_sentinel_monitor} for the cluster whose first host is {@code host}. */
    private static List<Monitor> monitors(BuildContext cx, String host) {
        List<Monitor> out = new ArrayList<>();
        Map<String, Source> names = new LinkedHashMap<>();
        for (YNode.Map m : cx.entries(host, "redis_sentinel_monitor")) {
            Fields f = new Fields(m, "redis_sentinel_monitor entry", cx.diags).known(MONITOR_FIELDS);
            Optional<String> name = f.string("name");
            Optional<String> master = f.string("host");
            if (name.isEmpty() || master.isEmpty()) {
                cx.diags.error("a master of redis_sentinel_monitor needs 'name' and 'host'", m.source(),
                        "For example: - { name: redis-ms, host: 10.10.10.10, port: 6379, password: redis.ms, quorum: 2 }");
                continue;
            }
            if (!MASTER_NAME.matcher(name.get()).matches()) {
                cx.diags.error("sentinel master name '" + name.get() + "' holds characters Redis does not take", f.source("name"),
                        "Use letters, digits, '.', '-' and '_' (Redis's rule for a sentinel master name), like the cluster's name.");
            }
            Source dup = names.putIfAbsent(name.get(), f.source("name"));
            if (dup != null) {
                cx.diags.error("sentinel master '" + name.get() + "' is listed twice in redis_sentinel_monitor", f.source("name"),
                        "Each master is watched under one name.");
            }
            if (!Net.isIp(master.get())) {
                cx.diags.error("sentinel master '" + name.get() + "' has host '" + master.get() + "', which is not an IP address",
                        f.source("host"), "Sentinels take the master's IP address (resolve-hostnames is off).");
            }
            int port = f.integer("port", 6379);
            int quorum = f.integer("quorum", 1);
            if (quorum < 1) {
                cx.diags.error("the quorum of sentinel master '" + name.get() + "' is " + quorum, f.source("quorum"),
                        "Give how many sentinels must agree the master is down, 1 or more.");
            }
            int downAfter = f.integer("down_after", DEFAULT_DOWN_AFTER);
            if (downAfter < 1) {
                cx.diags.error("down_after of sentinel master '" + name.get() + "' is " + downAfter, f.source("down_after"),
                        "Give the milliseconds a master may not answer before a sentinel holds it down, like 5000.");
            }
            Optional<String> password = f.string("password").filter(p -> !p.isEmpty());
            password.ifPresent(p -> checkMonitorPassword(cx, name.get(), p, f.source("password")));
            out.add(new Monitor(name.get(), master.get(), port, quorum, downAfter, password.map(Secret::new), f.bool("remove", false)));
        }
        return List.copyOf(out);
    }

    /** Redis 7.0's sentinel writes auth-pass into its file unquoted: a password that needs quotes breaks the file. */
    private static void checkMonitorPassword(BuildContext cx, String name, String pw, Source at) {
        for (int i = 0; i < pw.length(); i++) {
            char c = pw.charAt(i);
            if (Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\') {
                String what = c == ' ' ? "a space" : Character.isWhitespace(c) ? "whitespace" : "a " + (c == '\\' ? "backslash" : "quote");
                cx.diags.error("the password of sentinel master '" + name + "' holds " + what + " at character " + (i + 1), at,
                        "Redis 7.0's sentinel writes auth-pass into its own config file without quoting it, and cannot read\n"
                                + "that line back at its next start. Use a password without spaces, quotes or backslashes (for both\n"
                                + "this entry and the redis_password of the master's cluster).");
                return;
            }
        }
    }

    /**
     * What needs every cluster at once: an address of {@code replica_of} names an instance of the
     * inventory, a host belongs to one Redis cluster only, a sentinel quorum can be reached.
     */
    static void checkAll(BuildContext cx, List<RedisCluster> all) {
        Map<String, String> clusterOf = new HashMap<>();
        for (RedisCluster c : all) {
            Group g = cx.inv.groups().get(c.group());
            for (RedisNode n : c.nodes()) {
                String other = clusterOf.putIfAbsent(n.ip(), c.name());
                if (other != null) {
                    cx.diags.error("host " + n.ip() + " is a node of two redis clusters, '" + other + "' and '" + c.name() + "'",
                            cx.hostSource(g, n.ip()), "A host runs the instances of one redis cluster (Pigsty's rule): its redis_node and\n"
                                    + "redis_instances are the host's own. Give the second cluster other hosts.");
                }
            }
        }
        for (RedisCluster c : all) {
            for (RedisNode n : c.nodes()) {
                Var iv = cx.var(n.ip(), "redis_instances");
                for (Instance i : n.instances()) {
                    if (i.replicaOf().isEmpty()) {
                        continue;
                    }
                    Endpoint to = i.replicaOf().get();
                    Source at = replicaOfSource(iv, i.port());
                    if (to.equals(i.endpoint())) {
                        cx.diags.error("redis instance " + i.name() + " is its own replica_of", at, "Name its master, or remove replica_of.");
                    } else if (all.stream().noneMatch(x -> x.instance(to).isPresent())) {
                        cx.diags.error("replica_of of redis instance " + i.name() + " points to " + to.host() + " " + to.port()
                                + ", which is no redis instance of the inventory", at, "Name an instance of redis_instances, as its IP and"
                                + " port: replica_of: '" + closest(all, to, i) + "'");
                    }
                }
            }
            if (c.mode() == Mode.SENTINEL) {
                int sentinels = c.instances().size();
                String first = c.nodes().isEmpty() ? null : c.nodes().get(0).ip();
                for (Monitor m : c.monitors()) {
                    if (m.quorum() > sentinels && first != null) {
                        cx.diags.error("the quorum of sentinel master '" + m.name() + "' is " + m.quorum() + " but cluster '" + c.name()
                                        + "' has " + sentinels + " sentinel" + (sentinels == 1 ? "" : "s"),
                                cx.sourceOf(first, "redis_sentinel_monitor", Source.NONE),
                                "A quorum larger than the sentinels that can vote never holds the master down: lower it.");
                    }
                }
            }
        }
    }

    /** An instance address to suggest: the first other instance of the same cluster, else of any. */
    private static String closest(List<RedisCluster> all, Endpoint to, Instance from) {
        for (RedisCluster c : all) {
            if (c.instances().contains(from)) {
                for (Instance i : c.instances()) {
                    if (!i.equals(from) && i.replicaOf().isEmpty()) {
                        return i.ip() + " " + i.port();
                    }
                }
            }
        }
        return from.ip() + " 6379";
    }

    private static Source replicaOfSource(Var iv, int port) {
        if (iv != null && iv.node() instanceof YNode.Map m && m.entries().get(String.valueOf(port)) != null) {
            YNode.Entry e = m.entries().get(String.valueOf(port));
            if (e.value() instanceof YNode.Map vm && vm.get("replica_of") != null && vm.get("replica_of").source().known()) {
                return vm.get("replica_of").source();
            }
            return e.keySource();
        }
        return Source.NONE;
    }
}
