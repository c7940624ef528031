package dev.pig.modules;

import java.util.List;

import dev.pig.modules.etcd.EtcdModule;
import dev.pig.modules.node.NodeModule;
import dev.pig.modules.pgsql.PgsqlModule;

/** The modules pig knows, in Pigsty's deployment order (infra, node, etcd, minio, pgsql, redis). */
public final class Modules {
    private Modules() {
    }

    public static List<PigModule> all() {
        return List.of(new NodeModule(), new EtcdModule(), new PgsqlModule());
    }

    /** Names of every module, for {@code -t} and messages. */
    public static List<String> names() {
        return all().stream().map(PigModule::name).toList();
    }
}
