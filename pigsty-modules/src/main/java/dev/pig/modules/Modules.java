package dev.pig.modules;

import java.util.List;

import dev.pig.modules.etcd.EtcdModule;
import dev.pig.modules.infra.InfraModule;
import dev.pig.modules.minio.MinioModule;
import dev.pig.modules.node.NodeModule;
import dev.pig.modules.pgsql.PgsqlModule;
import dev.pig.modules.redis.RedisModule;

/**
 * The modules pig deploys, in Pigsty's deployment order: node, infra (after node, as Pigsty's
 * deploy.yml runs it: its packages come through the sources NODE sets up), etcd, minio, pgsql,
 * redis; pig has them all.
 */
public final class Modules {
    private Modules() {
    }

    public static List<PigModule> all() {
        return List.of(new NodeModule(), new InfraModule(), new EtcdModule(), new MinioModule(), new PgsqlModule(), new RedisModule());
    }

    /** Names of every module, for {@code -t} and messages. */
    public static List<String> names() {
        return all().stream().map(PigModule::name).toList();
    }
}
