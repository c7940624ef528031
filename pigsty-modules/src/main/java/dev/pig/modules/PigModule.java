package dev.pig.modules;

import java.util.List;

import dev.pig.core.fact.FactSection;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.task.Staged;

/**
 * One Pigsty module (NODE, ETCD, PGSQL ...): which hosts it manages and, for each, the desired
 * state as staged tasks. Tasks only describe; the engine plans them from facts and applies them.
 */
public interface PigModule {

    /** Lower-case name, also a tag that selects the whole module: {@code etcd}. */
    String name();

    /**
     * Position in a full deployment, also the prefix of the module's stages: node 20, infra 25
     * (after node, as Pigsty's deploy.yml runs it: its packages come through the package sources
     * and proxy NODE sets up), etcd 30, minio 40, pgsql 50, redis 60.
     */
    int order();

    /** The Pigsty tags this module's tasks carry, for {@code -t}. */
    List<String> tags();

    /** The hosts this module manages. */
    List<Node> hosts(ClusterModel model);

    /** The desired state of one host, in stages; see {@link ModuleContext#stage}. */
    List<Staged> tasks(ModuleContext ctx, Node node);

    /**
     * What removing the module from a host undoes ({@code pig node rm}), as staged tasks planned
     * and applied like any others; never user data. Empty for modules that cannot be removed yet.
     */
    default List<Staged> removal(ModuleContext ctx, Node node) {
        return List.of();
    }

    /** Facts this module adds to the one round trip per host (etcd members, PostgreSQL roles). */
    default List<FactSection<?>> factSections(ModuleContext ctx) {
        return List.of();
    }
}
