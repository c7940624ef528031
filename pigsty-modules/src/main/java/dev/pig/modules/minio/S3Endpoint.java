package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pig.core.model.MinioCluster;
import dev.pig.core.model.Node;
import dev.pig.modules.ModuleContext;

/**
 * The object store of the inventory an S3 endpoint names, for its clients (pgBackRest's
 * repository): a member's IP, its {@code minio_node} name or the cluster's {@code minio_domain}.
 * Such an endpoint is deployed by pig with certificates of the inventory's CA, which its clients
 * trust; any other endpoint is the user's to provide and to trust.
 *
 * @param cluster the store
 * @param https   whether it serves TLS
 * @param rootKey the store's root user, {@code minio_access_key}
 * @param rootSecret its secret
 */
public record S3Endpoint(MinioCluster cluster, boolean https, String rootKey, String rootSecret) {

    /**
     * Refuses, before anything is planned, a client whose key the store does not have: a
     * passphrase changed on one side only (one replaced by {@code pig inventory passwords
     * --generate}) would otherwise show as a failing stanza or archive.
     */
    public void checkCredentials(String key, String secret, String client) {
        if (key.equals(rootKey) && secret.equals(rootSecret)) {
            return;
        }
        java.util.Optional<MinioCluster.User> user = cluster.users().stream().filter(u -> u.accessKey().equals(key)).findFirst();
        if (user.isEmpty()) {
            throw new dev.pig.core.diag.PigException(dev.pig.core.diag.PigException.Kind.USAGE, client + " logs in to " + cluster.name()
                    + " as '" + key + "', which is neither a user of its minio_users nor its minio_access_key; add the user, or set s3_key");
        }
        if (!user.get().secretKey().reveal().equals(secret)) {
            throw new dev.pig.core.diag.PigException(dev.pig.core.diag.PigException.Kind.USAGE, client + " has another s3_key_secret than"
                    + " the secret_key of user '" + key + "' in minio_users of " + cluster.name() + "; set both to the same value");
        }
    }

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
                return Optional.of(new S3Endpoint(c, https, members.get(0).v().str("minio_access_key"),
                        members.get(0).v().secret("minio_secret_key").reveal()));
            }
        }
        return Optional.empty();
    }
}
