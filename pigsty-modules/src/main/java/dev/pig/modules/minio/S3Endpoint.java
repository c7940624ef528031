package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pig.core.model.MinioCluster;
import dev.pig.core.model.Node;
import dev.pig.core.plan.Step;
import dev.pig.modules.ModuleContext;

/**
 * The object store of the inventory an S3 endpoint names, for its clients (pgBackRest's
 * repository): a member's IP, its {@code minio_node} name or the cluster's {@code minio_domain}.
 * Such an endpoint is deployed by pig, so a client trusts what its certificate source says
 * ({@link ServerCertificate#trust}); any other endpoint is the user's to provide and to trust.
 *
 * @param cluster the store
 * @param https   whether it serves TLS
 * @param trust   the files a client trusts, read from the members at apply time
 */
public record S3Endpoint(MinioCluster cluster, boolean https, List<Step.Copy.Source> trust) {

    /** The store {@code host} names, when the inventory has one. */
    public static Optional<S3Endpoint> of(ModuleContext ctx, String host) {
        for (MinioCluster c : ctx.model().minio()) {
            List<MinioNode> members = new ArrayList<>();
            boolean named = false;
            for (MinioCluster.Member m : c.members()) {
                Node node = ctx.model().node(m.ip()).orElseThrow();
                MinioNode n = new MinioNode(ctx, c, m, ctx.vars(node));
                members.add(n);
                named |= host.equals(m.ip()) || host.equals(node.address()) || host.equals(n.nodeName())
                        || host.equals(n.v().str("minio_domain"));
            }
            if (named && !members.isEmpty()) {
                boolean https = members.get(0).v().bool("minio_https");
                List<Step.Copy.Source> trust = new ArrayList<>();
                if (https) {
                    members.forEach(n -> trust.addAll(ServerCertificate.of(n).trust()));
                }
                return Optional.of(new S3Endpoint(c, https, List.copyOf(trust)));
            }
        }
        return Optional.empty();
    }
}
