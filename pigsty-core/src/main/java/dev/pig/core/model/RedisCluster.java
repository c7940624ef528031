package dev.pig.core.model;

import java.util.List;
import java.util.Optional;

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
}
