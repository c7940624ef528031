package dev.pig.modules;

import java.util.List;

import dev.pig.core.model.ClusterModel;

import dev.pig.modules.etcd.EtcdModule;
import dev.pig.modules.minio.MinioModule;
import dev.pig.modules.node.NodeModule;
import dev.pig.modules.pgsql.PgsqlModule;

/** The modules pig deploys, in Pigsty's deployment order (infra, node, etcd, minio, pgsql, redis; pig has node, etcd, minio and pgsql). */
public final class Modules {
    private Modules() {
    }

    public static List<PigModule> all() {
        return List.of(new NodeModule(), new EtcdModule(), new MinioModule(), new PgsqlModule());
    }

    /** Pigsty modules pig does not deploy yet: their groups are read, validated and skipped. */
    public static final List<String> NOT_IMPLEMENTED = List.of("infra", "redis");

    /**
     * One line per inventory group of a module pig does not deploy yet, for a deploy to warn
     * that it skips them.
     */
    public static List<String> skipped(ClusterModel model) {
        java.util.Map<String, String> groups = new java.util.LinkedHashMap<>();
        if (!model.infra().isEmpty()) {
            groups.put("infra", "INFRA");
        }
        model.redis().forEach(r -> groups.put(r.group(), "REDIS"));
        List<String> out = new java.util.ArrayList<>();
        groups.forEach((g, m) -> out.add("group '" + g + "' is skipped: pig does not deploy the " + m + " module yet"));
        return out;
    }

    /** Names of every module, for {@code -t} and messages. */
    public static List<String> names() {
        return all().stream().map(PigModule::name).toList();
    }
}
