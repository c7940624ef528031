package dev.pig.modules;

import java.util.List;

import dev.pig.core.model.ClusterModel;

import dev.pig.modules.etcd.EtcdModule;
import dev.pig.modules.infra.InfraModule;
import dev.pig.modules.node.NodeModule;
import dev.pig.modules.pgsql.PgsqlModule;
import dev.pig.modules.redis.RedisModule;

/**
 * The modules pig deploys, in Pigsty's deployment order: node, infra (after node, as Pigsty's
 * deploy.yml runs it: its packages come through the sources NODE sets up), etcd, minio, pgsql,
 * redis; pig has node, infra, etcd, pgsql and redis.
 */
public final class Modules {
    private Modules() {
    }

    public static List<PigModule> all() {
        return List.of(new NodeModule(), new InfraModule(), new EtcdModule(), new PgsqlModule(), new RedisModule());
    }

    /** Pigsty modules pig does not deploy yet: their groups are read, validated and skipped. */
    public static final List<String> NOT_IMPLEMENTED = List.of("minio");

    /**
     * One line per inventory group of a module pig does not deploy yet, for a deploy to warn
     * that it skips them.
     */
    public static List<String> skipped(ClusterModel model) {
        java.util.Map<String, String> groups = new java.util.LinkedHashMap<>();
        model.minio().forEach(m -> groups.put(m.group(), "MINIO"));
        List<String> out = new java.util.ArrayList<>();
        groups.forEach((g, m) -> out.add("group '" + g + "' is skipped: pig does not deploy the " + m + " module yet"));
        return out;
    }

    /** Names of every module, for {@code -t} and messages. */
    public static List<String> names() {
        return all().stream().map(PigModule::name).toList();
    }
}
