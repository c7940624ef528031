package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Inventory;
import dev.pig.core.param.ParamCatalog;

/**
 * Turns an {@link Inventory} into a {@link ClusterModel}, checking everything that can be checked
 * without touching a host and reporting every problem in one pass. The passes, one concept each:
 * {@link ParamChecks} (names, types, control characters, where each parameter is written), the
 * nodes (here), each cluster with its members ({@link EtcdCluster}, {@link MinioCluster},
 * {@link RedisCluster}, {@link InfraNode}), {@link PgClusters} (Pigsty's identity and rules, with
 * each entry type read beside its record: {@link PgUser}, {@link PgDatabase}, {@link HbaRule},
 * {@link PgService}), then {@link PortClashes}.
 */
public final class ModelBuilder {
    private final BuildContext cx;

    private ModelBuilder(Inventory inv, ParamCatalog catalog, Diagnostics diags) {
        this.cx = new BuildContext(inv, catalog, diags);
    }

    /** Builds the model; problems go to {@code diags} (the caller decides whether to stop). */
    public static ClusterModel build(Inventory inv, ParamCatalog catalog, Diagnostics diags) {
        return new ModelBuilder(inv, catalog, diags).build();
    }

    private ClusterModel build() {
        Inventory inv = cx.inv;
        ParamChecks params = new ParamChecks(cx.catalog, cx.diags);
        params.check(inv);
        for (String h : inv.hosts().keySet()) {
            cx.resolved(h, params.typed(inv.resolve(h, cx.diags)));
        }

        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, Source> h : inv.hosts().entrySet()) {
            nodes.add(node(h.getKey(), h.getValue()));
        }
        List<InfraNode> infra = InfraNode.read(cx);
        InfraSettings.check(cx);
        Optional<EtcdCluster> etcd = EtcdCluster.read(cx);
        List<MinioCluster> minio = new ArrayList<>();
        List<PgCluster> pg = new ArrayList<>();
        List<RedisCluster> redis = new ArrayList<>();
        PgClusters pgClusters = new PgClusters(cx);
        for (Group g : inv.groups().values()) {
            if (g.var("pg_cluster") != null) {
                pg.add(pgClusters.read(g));
            }
            if (g.var("minio_cluster") != null) {
                minio.add(MinioCluster.read(cx, g));
            }
            if (g.var("redis_cluster") != null) {
                redis.add(RedisCluster.read(cx, g));
            }
        }
        if (!pg.isEmpty() && etcd.isEmpty()) {
            PgCluster first = pg.get(0);
            cx.diags.error("PostgreSQL cluster '" + first.name() + "' needs an etcd cluster for its DCS, and there is none",
                    inv.groups().get(first.group()).source(),
                    "Add an 'etcd' group with 'etcd_cluster: etcd' in its vars and 'etcd_seq: N' on each host,\n"
                            + "for example: etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }");
        }
        PgClusters.checkNames(cx, pg);
        RedisCluster.checkAll(cx, redis);
        PortClashes.check(cx, pg, redis, etcd, minio);
        for (String h : cx.hostVars().keySet()) {
            RepoUpstream.check(cx.value(h, "node_repo_modules"), cx.var(h, "node_repo_modules"), cx.var(h, "repo_upstream"), cx.diags);
        }

        Map<String, ClusterModel.HostVars> vars = new LinkedHashMap<>();
        cx.hostVars().forEach((h, v) -> vars.put(h, new ClusterModel.HostVars(h, v, cx.defaults())));
        List<Node> named = fillNodenames(nodes, pg);
        NodeVips.check(cx, named, pg);
        return new ClusterModel(inv.file(), List.copyOf(named), List.copyOf(infra), etcd,
                List.copyOf(minio), List.copyOf(pg), List.copyOf(redis), vars);
    }

    // ---- nodes ----

    private Node node(String id, Source src) {
        String address = Optional.ofNullable(cx.value(id, "ansible_host")).map(String::valueOf).orElse(id);
        if (cx.var(id, "ansible_host") == null && !Net.isIp(id)) {
            if (id.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                cx.diags.error("host '" + id + "' is not a valid IPv4 address", src,
                        "Fix the address, or use a name as the key and set its address with 'ansible_host'.");
            } else if (!Net.isHostname(id)) {
                cx.diags.error("host '" + id + "' is neither an IP address nor a host name", src,
                        "Use the host's IP as the key, or set 'ansible_host' to its address.");
            }
        }
        String nodename = cx.str(id, "nodename");
        if (!nodename.isEmpty() && !nodename.contains("{{") && !Net.isHostname(nodename)) {
            cx.diags.error("the nodename of " + id + " is not a host name", cx.sourceOf(id, "nodename", src),
                    "It becomes the node's host name and a name in its certificates: write letters, digits and '-' in"
                            + " dot-separated parts, like pg-test-1.");
        }
        List<String> groups = cx.inv.groupsOf(id).stream().map(Group::name).toList();
        Object key = cx.value(id, "ansible_ssh_private_key_file");
        return new Node(id, address, cx.integer(id, "ansible_port"), cx.str(id, "ansible_user"),
                key == null ? Optional.empty() : Optional.of(String.valueOf(key)), cx.str(id, "nodename"),
                cx.str(id, "node_cluster"), groups);
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
            boolean fromPg = cx.bool(n.id(), "node_id_from_pg");
            String name = n.nodename().isEmpty() && i != null && fromPg ? i.name() : n.nodename();
            String cluster = cx.var(n.id(), "node_cluster") == null && i != null && fromPg ? clusterOf.get(n.id()) : n.nodeCluster();
            out.add(new Node(n.id(), n.address(), n.sshPort(), n.sshUser(), n.privateKeyFile(), name, cluster, n.groups()));
        }
        return out;
    }
}
