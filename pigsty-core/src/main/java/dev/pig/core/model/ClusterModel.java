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

    /**
     * Convenience for modules: the resolved value of a parameter on a host.
     *
     * @throws IllegalArgumentException when the catalog does not know {@code param}
     */
    public Object value(String nodeId, String param) {
        return vars.get(nodeId).value(param);
    }

    /**
     * All variables of one host, explicit ones with their origin, the rest from the catalog.
     *
     * @param defaults every parameter of the catalog with its default (null included): the names
     *                 that may be read
     */
    public record HostVars(String host, Map<String, Var> explicit, Map<String, Object> defaults) {

        /**
         * The value the inventory gives the parameter on this host, else the catalog's default.
         *
         * @throws IllegalArgumentException when the catalog does not know {@code name}: a misspelt
         *                                  name in pig's own code, which would otherwise read as unset
         */
        public Object value(String name) {
            known(name);
            Var v = explicit.get(name);
            return v != null ? v.value() : defaults.get(name);
        }

        /** The variable when the inventory sets it for this host. */
        public Optional<Var> explicitVar(String name) {
            known(name);
            return Optional.ofNullable(explicit.get(name));
        }

        private void known(String name) {
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("parameter '" + name + "' is not in pig's catalog"
                        + " (pigsty-core/src/main/resources/dev/pig/core/param/*.yml)");
            }
        }
    }
}
