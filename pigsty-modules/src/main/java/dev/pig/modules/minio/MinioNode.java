package dev.pig.modules.minio;

import java.util.Optional;

import dev.pig.core.model.MinioCluster;
import dev.pig.core.model.Node;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * One S3 server as the MINIO module describes it: its cluster, the member, the host's parameters.
 *
 * @param ctx     the model and templates of the run
 * @param cluster the member's cluster
 * @param me      the member
 * @param v       the parameters of its host
 */
record MinioNode(ModuleContext ctx, MinioCluster cluster, MinioCluster.Member me, HostVars v) {

    static Optional<MinioNode> find(ModuleContext ctx, Node node) {
        for (MinioCluster c : ctx.model().minio()) {
            for (MinioCluster.Member m : c.members()) {
                if (m.ip().equals(node.id())) {
                    return Optional.of(new MinioNode(ctx, c, m, ctx.vars(node)));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code minio-1}: Pigsty's instance name. */
    String instance() {
        return cluster.name() + "-" + me.seq();
    }

    String user() {
        return v.str("minio_user");
    }

    /** The OS user's home, where MinIO looks for its certificates ({@code ~/.minio/certs}). */
    String home() {
        return "/home/" + user();
    }

    /** {@code minio_node} with Pigsty's placeholders filled in: {@code minio-1.pigsty}. */
    String nodeName() {
        return nodeName(v, cluster, me);
    }

    static String nodeName(HostVars v, MinioCluster cluster, MinioCluster.Member m) {
        return v.str("minio_node").replace("${minio_cluster}", cluster.name()).replace("${minio_seq}", String.valueOf(m.seq()));
    }

    /** How clients reach this member: {@code https://10.10.10.10:9000}. */
    String url(String host) {
        return (v.bool("minio_https") ? "https" : "http") + "://" + host + ":" + me.port();
    }
}
