package dev.pig.core.model;

import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;

/**
 * The pgBackRest repository a cluster backs up to ({@code pgbackrest_method} names an entry of
 * {@code pgbackrest_repo}), checked before anything is planned: the entry exists, an S3 bucket has
 * a name S3 takes, and an encrypted repository has its passphrase.
 *
 * <pre>
 * pgbackrest_method: minio
 * pgbackrest_repo:
 *   minio: { type: s3, s3_bucket: pgsql, cipher_type: aes-256-cbc, cipher_pass: '...' }
 * </pre>
 */
final class BackupRepo {
    private BackupRepo() {
    }

    /** Checks the repository of the cluster whose first host is {@code h}. */
    static void check(BuildContext cx, String h, String cluster, Source groupAt) {
        if (!cx.bool(h, "pgbackrest_enabled")) {
            return;
        }
        String method = cx.str(h, "pgbackrest_method");
        Var repoVar = cx.var(h, "pgbackrest_repo");
        YNode repos = repoVar != null ? repoVar.node() : YNode.of(cx.defaultValue("pgbackrest_repo"), Source.NONE);
        Source methodAt = cx.sourceOf(h, "pgbackrest_method", groupAt);
        if (!(repos instanceof YNode.Map all) || method.contains("{{")) {
            return; // the type check has reported it, or Ansible fills it in
        }
        if (!(all.get(method) instanceof YNode.Map repo)) {
            cx.diags.error("pgbackrest_method of cluster '" + cluster + "' is '" + method + "', which pgbackrest_repo does not define",
                    methodAt, "Add an entry '" + method + "' to pgbackrest_repo, or set pgbackrest_method to one of: "
                            + String.join(", ", all.entries().keySet()) + ".");
            return;
        }
        Source repoAt = repoVar != null && repoVar.source().known() ? repo.source() : methodAt;
        String type = scalar(repo, "type", "posix");
        if (type.equals("s3")) {
            String endpoint = scalar(repo, "s3_endpoint", "");
            Source endpointAt = repo.get("s3_endpoint") != null && repo.get("s3_endpoint").source().known()
                    ? repo.get("s3_endpoint").source() : repoAt;
            if (endpoint.isEmpty()) {
                cx.diags.error("pgbackrest_repo." + method + " of cluster '" + cluster + "' is an S3 repository without s3_endpoint",
                        repoAt, "Name the S3 server, like s3_endpoint: sss.pigsty, with its port in storage_port.");
            } else if (!endpoint.contains("{{") && !Net.isIp(endpoint) && !Net.isHostname(endpoint)) {
                cx.diags.error("pgbackrest_repo." + method + ".s3_endpoint '" + endpoint + "' is neither a host name nor an IP address",
                        endpointAt, "Write the S3 server's name or address alone, like sss.pigsty or 10.10.10.10; its port goes in storage_port.");
            }
            String bucket = scalar(repo, "s3_bucket", "");
            Source bucketAt = repo.get("s3_bucket") != null && repo.get("s3_bucket").source().known() ? repo.get("s3_bucket").source() : repoAt;
            if (bucket.isEmpty()) {
                cx.diags.error("pgbackrest_repo." + method + " of cluster '" + cluster + "' is an S3 repository without s3_bucket",
                        repoAt, "Name the bucket the backups go to, like s3_bucket: pgsql.");
            } else if (!bucket.contains("{{")) {
                S3Names.bucketProblem(bucket).ifPresent(p -> cx.diags.error("pgbackrest_repo." + method + ".s3_bucket '" + bucket
                        + "' is refused by S3: " + p, bucketAt, "Name a bucket S3 takes, like '" + MinioCluster.suggestion(bucket)
                        + "', and make it in minio_buckets."));
            }
        }
        String cipher = scalar(repo, "cipher_type", "none");
        if (!cipher.equals("none") && scalar(repo, "cipher_pass", "").isEmpty()) {
            Source at = repo.get("cipher_type") != null && repo.get("cipher_type").source().known() ? repo.get("cipher_type").source() : repoAt;
            cx.diags.error("pgbackrest_repo." + method + " of cluster '" + cluster + "' encrypts with " + cipher + " but has no cipher_pass",
                    at, "Set cipher_pass to a long random passphrase ('pig inventory passwords --generate' writes strong ones)\n"
                            + "and keep a copy apart from the cluster: without it, no backup of the repository can be read.");
        }
    }

    /** {@code patroni_replica_methods} names methods pig configures: Patroni would skip an unknown one silently. */
    static void checkReplicaMethods(BuildContext cx, String h) {
        for (YNode.Scalar m : cx.writtenItems(h, "patroni_replica_methods")) {
            String name = String.valueOf(m.value());
            if (!name.equals("basebackup") && !name.equals("pgbackrest") && !name.contains("{{")) {
                cx.diags.error("patroni_replica_methods has '" + name + "', a method pig does not configure", m.source(),
                        "Use basebackup (a copy from the leader) and pgbackrest (a restore from the backup repository), in the order\n"
                                + "Patroni should try them, like [ pgbackrest, basebackup ].");
            }
        }
    }

    private static String scalar(YNode.Map m, String key, String dflt) {
        return m.get(key) instanceof YNode.Scalar s && s.value() != null ? String.valueOf(s.value()) : dflt;
    }
}
