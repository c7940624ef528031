package dev.pig.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.inventory.Var;

/**
 * Everything an inventory declares, typed: the nodes and the clusters of each module, plus each
 * node's resolved variables (with their origins) for the modules to read.
 */
public record ClusterModel(String file, List<Node> nodes, List<InfraNode> infra, Optional<EtcdCluster> etcd,
                           List<MinioCluster> minio, List<PgCluster> pgClusters, List<RedisCluster> redis,
                           Map<String, HostVars> vars) {

    public Optional<Node> node(String idOrAddressOrName) {
        return nodes.stream().filter(n -> n.id().equals(idOrAddressOrName) || n.address().equals(idOrAddressOrName)
                || n.nodename().equals(idOrAddressOrName)).findFirst();
    }

    public Optional<PgCluster> pgCluster(String name) {
        return pgClusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public HostVars varsOf(String nodeId) {
        return vars.get(nodeId);
    }

    /** Convenience for modules: the resolved value of a parameter on a host. */
    public Object value(String nodeId, String param) {
        return vars.get(nodeId).value(param);
    }

    /** All variables of one host, explicit ones with their origin, the rest from the catalog. */
    public record HostVars(String host, Map<String, Var> explicit, Map<String, Object> defaults) {
        public Object value(String name) {
            Var v = explicit.get(name);
            return v != null ? v.value() : defaults.get(name);
        }

        public Optional<Var> explicitVar(String name) {
            return Optional.ofNullable(explicit.get(name));
        }
    }
}
