package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;
import dev.pig.core.inventory.YamlTree;

/**
 * A Redis cluster: a group with {@code redis_cluster}; each host is a node ({@code redis_node})
 * running one instance per port of {@code redis_instances}.
 *
 * <pre>
 * redis-ms:
 *   hosts: { 10.10.10.10: { redis_node: 1, redis_instances: { 6379: {}, 6380: { replica_of: '10.10.10.10 6379' } } } }
 *   vars: { redis_cluster: redis-ms, redis_mode: standalone }
 * </pre>
 */
public record RedisCluster(String name, String group, Mode mode, List<RedisNode> nodes) {

    /** {@code redis_mode}. */
    public enum Mode {
        STANDALONE, SENTINEL, CLUSTER
    }

    /** One host of the cluster. */
    public record RedisNode(int seq, String ip, List<Instance> instances) {
    }

    /** One redis-server on a port; its name is {@code <cluster>-<node>-<port>}. */
    public record Instance(int port, String name, Optional<String> replicaOf) {
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
                    Optional<String> replicaOf = e.value() instanceof YNode.Map vm && vm.get("replica_of") != null
                            ? Optional.of(String.valueOf(vm.get("replica_of").plain())) : Optional.empty();
                    instances.add(new Instance(p.intValue(), name + "-" + seq.get() + "-" + p, replicaOf));
                }
            }
            nodes.add(new RedisNode(seq.get(), h, List.copyOf(instances)));
        }
        return new RedisCluster(name, g.name(), mode, List.copyOf(nodes));
    }
}
