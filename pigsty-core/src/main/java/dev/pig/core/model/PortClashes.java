package dev.pig.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Origin;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;

/**
 * Every port a deployment opens on a host, checked for clashes: NODE's exporters on every host,
 * etcd, MinIO, PostgreSQL with Patroni, PgBouncer, their exporters and the HAProxy services, and
 * Redis instances with their cluster bus and exporter. A clash is reported where the inventory
 * sets the later of the two ports.
 */
final class PortClashes {
    private final BuildContext cx;
    private final Map<String, Map<Integer, List<PortUse>>> byHost = new TreeMap<>();

    private record PortUse(String what, Source source) {
    }

    private PortClashes(BuildContext cx) {
        this.cx = cx;
    }

    static void check(BuildContext cx, List<PgCluster> pg, List<RedisCluster> redis, Optional<EtcdCluster> etcd,
                      List<MinioCluster> minio) {
        PortClashes p = new PortClashes(cx);
        p.collect(pg, redis, etcd, minio);
        p.report();
    }

    private void collect(List<PgCluster> pg, List<RedisCluster> redis, Optional<EtcdCluster> etcd, List<MinioCluster> minio) {
        for (String h : cx.inv.hosts().keySet()) {
            if (cx.bool(h, "node_exporter_enabled")) {
                use(h, "node_exporter_port", "node_exporter (node_exporter_port)");
            }
            if (cx.bool(h, "haproxy_enabled")) {
                use(h, "haproxy_exporter_port", "HAProxy admin and metrics (haproxy_exporter_port)");
            }
        }
        for (PgCluster c : pg) {
            for (PgInstance i : c.instances()) {
                String h = i.ip();
                use(h, "pg_port", "PostgreSQL (pg_port)");
                boolean pgbouncer = cx.bool(h, "pgbouncer_enabled");
                if (pgbouncer) {
                    use(h, "pgbouncer_port", "PgBouncer (pgbouncer_port)");
                }
                if (cx.bool(h, "patroni_enabled")) {
                    use(h, "patroni_port", "Patroni (patroni_port)");
                }
                if (cx.bool(h, "pg_exporter_enabled")) {
                    use(h, "pg_exporter_port", "pg_exporter (pg_exporter_port)");
                }
                if (pgbouncer && cx.bool(h, "pgbouncer_exporter_enabled")) {
                    use(h, "pgbouncer_exporter_port", "pgbouncer_exporter (pgbouncer_exporter_port)");
                }
                for (PgService s : c.services()) {
                    add(h, s.port(), "service " + c.name() + "-" + s.name(), Source.NONE);
                }
            }
        }
        etcd.ifPresent(e -> e.members().forEach(m -> {
            use(m.ip(), "etcd_port", "etcd client (etcd_port)");
            use(m.ip(), "etcd_peer_port", "etcd peer (etcd_peer_port)");
        }));
        for (MinioCluster c : minio) {
            c.members().forEach(m -> use(m.ip(), "minio_port", "MinIO (minio_port)"));
        }
        java.util.Set<String> exporters = new java.util.HashSet<>();
        for (RedisCluster c : redis) {
            for (RedisCluster.RedisNode n : c.nodes()) {
                Var iv = cx.var(n.ip(), "redis_instances");
                for (RedisCluster.Instance i : n.instances()) {
                    Source s = iv != null && iv.node() instanceof YNode.Map m && m.entries().get(String.valueOf(i.port())) != null
                            ? m.entries().get(String.valueOf(i.port())).keySource() : Source.NONE;
                    add(n.ip(), i.port(), "Redis " + i.name(), s);
                    // a native cluster's nodes talk on their port + 10000, Redis's fixed offset
                    if (c.mode() == RedisCluster.Mode.CLUSTER && i.port() + 10000 <= 65535) {
                        add(n.ip(), i.port() + 10000, "the cluster bus of Redis " + i.name(), s);
                    }
                }
                if (n.exporterPort().isPresent() && exporters.add(n.ip())) {
                    use(n.ip(), "redis_exporter_port", "redis_exporter (redis_exporter_port)");
                }
            }
        }
    }

    private void report() {
        for (Map.Entry<String, Map<Integer, List<PortUse>>> h : byHost.entrySet()) {
            for (Map.Entry<Integer, List<PortUse>> p : h.getValue().entrySet()) {
                List<PortUse> uses = p.getValue();
                if (uses.size() > 1) {
                    Source at = uses.stream().map(PortUse::source).filter(Source::known).reduce((a, b) -> b)
                            .orElse(cx.inv.hosts().getOrDefault(h.getKey(), Source.NONE));
                    cx.diags.error("port " + p.getKey() + " on host " + h.getKey() + " is used by "
                                    + String.join(" and ", uses.stream().map(PortUse::what).toList()), at,
                            "Give each service on a host its own port.");
                }
            }
        }
    }

    /** The port a parameter sets on a host, placed where the inventory sets it (nowhere for a default). */
    private void use(String host, String param, String what) {
        if (cx.value(host, param) instanceof Long p) {
            Var var = cx.var(host, param);
            add(host, p.intValue(), what, var != null && var.origin() != Origin.DEFAULT ? var.node().source() : Source.NONE);
        }
    }

    private void add(String host, int port, String what, Source s) {
        byHost.computeIfAbsent(host, k -> new TreeMap<>()).computeIfAbsent(port, k -> new ArrayList<>()).add(new PortUse(what, s));
    }
}
