package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.YNode;

/**
 * An S3 object store: a group with {@code minio_cluster}, members numbered by {@code minio_seq},
 * run by the server {@code minio_server} names, with the buckets and users it holds.
 *
 * <pre>
 * minio:
 *   hosts: { 10.10.10.10: { minio_seq: 1 } }
 *   vars:
 *     minio_cluster: minio
 *     minio_server: s3proxy           # or minio: MinIO from the node's package sources
 *     minio_buckets: [ { name: pgsql } ]
 *     minio_users:   [ { access_key: pgbackrest, secret_key: S3User.Backup, policy: pgsql } ]
 * </pre>
 *
 * @param server  {@code minio} or {@code s3proxy}
 * @param buckets the buckets of {@code minio_buckets}, each once
 * @param users   the users of {@code minio_users}, each once
 */
public record MinioCluster(String name, String group, String server, List<Member> members, List<Bucket> buckets, List<User> users) {

    public static final String S3PROXY = "s3proxy";

    /** One S3 server. */
    public record Member(int seq, String ip, int port) {
    }

    /** A bucket, with the MinIO features it asks for. */
    public record Bucket(String name, boolean versioning, boolean lock) {
    }

    /**
     * A user; {@code policy} is the name of a bucket policy, as Pigsty makes one per bucket, or
     * empty.
     */
    public record User(String accessKey, Secret secretKey, String policy) {
    }

    /** Whether S3Proxy serves it: one node, one filesystem store. */
    public boolean s3proxy() {
        return server.equals(S3PROXY);
    }

    /** The cluster of a group whose vars set {@code minio_cluster}. */
    static MinioCluster read(BuildContext cx, Group g) {
        String name = String.valueOf(g.var("minio_cluster").plain());
        Source at = g.var("minio_cluster").source();
        cx.checkClusterName(name, at);
        Map<Integer, String> seen = new HashMap<>();
        List<Member> members = new ArrayList<>();
        for (String h : cx.inv.members(g)) {
            cx.requiredSeq(h, "minio_seq", g, seen).ifPresent(s -> members.add(new Member(s, h, cx.integer(h, "minio_port"))));
        }
        members.sort(java.util.Comparator.comparingInt(Member::seq));
        String first = cx.inv.members(g).stream().findFirst().orElse(null);
        if (first == null) {
            cx.diags.error("MinIO cluster '" + name + "' has no hosts", g.source(), "Add its hosts under 'hosts:', each with minio_seq.");
            return new MinioCluster(name, g.name(), "minio", List.of(), List.of(), List.of());
        }
        // cluster-level parameters are read on the first host, as Pigsty's templates read them
        String server = cx.str(first, "minio_server");
        boolean s3proxy = server.equals(S3PROXY);
        if (s3proxy && members.size() > 1) {
            cx.diags.error("MinIO cluster '" + name + "' has " + members.size() + " members but minio_server is s3proxy",
                    cx.sourceOf(first, "minio_server", at), "S3Proxy serves one node from one filesystem store: it has no erasure coding and no\n"
                            + "replication between nodes. Keep one host in the group, or run MinIO (minio_server: minio).");
        }
        String data = cx.str(first, "minio_data");
        if (s3proxy && data.contains("{")) {
            cx.diags.error("minio_data '" + data + "' names several drives but minio_server is s3proxy",
                    cx.sourceOf(first, "minio_data", at), "S3Proxy keeps its buckets in one directory: set minio_data to one path like /data/minio.");
        }
        checkWords(cx, first, name, at, members);
        List<Bucket> buckets = buckets(cx, first, s3proxy);
        List<User> users = users(cx, first, s3proxy, buckets);
        return new MinioCluster(name, g.name(), server, List.copyOf(members), buckets, users);
    }

    private static final java.util.regex.Pattern USER = java.util.regex.Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    /** Values that become names: of a user, in a certificate and /etc/hosts, in a file name and a unit. */
    private static void checkWords(BuildContext cx, String h, String cluster, Source at, List<Member> members) {
        String user = cx.str(h, "minio_user");
        if (!user.contains("{{") && !USER.matcher(user).matches()) {
            cx.diags.error("minio_user '" + user + "' is not a user name", cx.sourceOf(h, "minio_user", at),
                    "Name the OS user with lowercase letters, digits, '_' and '-', starting with a letter or '_', like minio.");
        }
        String domain = cx.str(h, "minio_domain");
        if (!domain.isEmpty() && !domain.contains("{{") && !Net.isHostname(domain) && !Net.isIp(domain)) {
            cx.diags.error("minio_domain '" + domain + "' is not a host name", cx.sourceOf(h, "minio_domain", at),
                    "It goes into the server's certificate and the clients' endpoints: write a name like sss.pigsty.");
        }
        for (Member m : members) {
            String node = cx.str(m.ip(), "minio_node").replace("${minio_cluster}", cluster).replace("${minio_seq}", String.valueOf(m.seq()));
            if (!node.contains("{{") && !node.contains("${") && !Net.isHostname(node)) {
                cx.diags.error("minio_node is '" + node + "' for " + m.ip() + ", which is not a host name", cx.sourceOf(m.ip(), "minio_node", at),
                        "Write a pattern of a host name, like ${minio_cluster}-${minio_seq}.pigsty.");
                break;
            }
        }
        String sha = cx.str(h, "minio_s3proxy_sha256");
        if (!sha.contains("{{") && !SHA256.matcher(sha).matches()) {
            cx.diags.error("minio_s3proxy_sha256 '" + sha + "' is not a sha256", cx.sourceOf(h, "minio_s3proxy_sha256", at),
                    "Write the 64 hexadecimal digits 'sha256sum' prints for the jar minio_s3proxy_url points to.");
        }
    }

    private static List<Bucket> buckets(BuildContext cx, String h, boolean s3proxy) {
        Map<String, Bucket> out = new LinkedHashMap<>();
        for (YNode.Map m : cx.entries(h, "minio_buckets")) {
            YNode n = m.get("name");
            if (!(n instanceof YNode.Scalar s) || s.value() == null || String.valueOf(s.value()).isBlank()) {
                cx.diags.error("an entry of minio_buckets has no 'name'", m.source(), "Every bucket needs a name: - { name: pgsql }");
                continue;
            }
            String name = String.valueOf(s.value());
            S3Names.bucketProblem(name).ifPresent(p -> cx.diags.error("bucket name '" + name + "' is refused by S3: " + p, s.source(),
                    "Rename the bucket, for example '" + suggestion(name) + "'."));
            boolean versioning = flag(m, "versioning");
            boolean lock = flag(m, "lock");
            if (s3proxy && (versioning || lock || m.get("quota") != null)) {
                cx.diags.warning("bucket '" + name + "' asks for " + String.join(" and ", features(m, versioning, lock))
                                + ", which S3Proxy's filesystem store does not keep", m.source(),
                        "The bucket is made without them. Run MinIO (minio_server: minio) where they matter.");
            }
            if (out.putIfAbsent(name, new Bucket(name, versioning, lock)) != null) {
                cx.diags.error("bucket '" + name + "' is listed twice in minio_buckets", m.source(), "Keep one entry per bucket.");
            }
        }
        return List.copyOf(out.values());
    }

    private static List<User> users(BuildContext cx, String h, boolean s3proxy, List<Bucket> buckets) {
        Map<String, User> out = new LinkedHashMap<>();
        Map<String, String> claimed = new HashMap<>();
        String root = cx.str(h, "minio_access_key");
        for (YNode.Map m : cx.entries(h, "minio_users")) {
            Optional<String> key = text(m, "access_key");
            Optional<String> secret = text(m, "secret_key");
            if (key.isEmpty() || secret.isEmpty()) {
                cx.diags.error("an entry of minio_users has no " + (key.isEmpty() ? "'access_key'" : "'secret_key'"), m.source(),
                        "Every user needs both: - { access_key: pgbackrest, secret_key: ..., policy: pgsql }");
                continue;
            }
            String policy = text(m, "policy").orElse("");
            Source policyAt = m.get("policy") == null ? m.source() : m.get("policy").source();
            if (key.get().equals(root)) {
                cx.diags.error("user '" + key.get() + "' of minio_users is the root user (minio_access_key)", m.source(),
                        "The root user exists already; give this user another access_key.");
            }
            if (s3proxy && !policy.isEmpty() && buckets.stream().noneMatch(b -> b.name().equals(policy))) {
                cx.diags.error("user '" + key.get() + "' has the policy '" + policy + "', which S3Proxy cannot express", policyAt,
                        "S3Proxy gives a user the buckets it claims, nothing finer: pig reads a policy as the name of a bucket\n"
                                + "of minio_buckets, as Pigsty makes one policy per bucket. Name one of: "
                                + String.join(", ", buckets.stream().map(Bucket::name).toList()) + ".");
            }
            if (s3proxy && !policy.isEmpty()) {
                String other = claimed.putIfAbsent(policy, key.get());
                if (other != null) {
                    cx.diags.error("users '" + other + "' and '" + key.get() + "' both have the policy '" + policy + "'", policyAt,
                            "S3Proxy lets one user claim a bucket; the others (root included) are refused there. Give the\n"
                                    + "bucket to one user, or run MinIO (minio_server: minio), whose policies can be shared.");
                }
            }
            if (out.putIfAbsent(key.get(), new User(key.get(), new Secret(secret.get()), policy)) != null) {
                cx.diags.error("user '" + key.get() + "' is listed twice in minio_users", m.source(), "Keep one entry per user.");
            }
        }
        return List.copyOf(out.values());
    }

    private static boolean flag(YNode.Map m, String key) {
        return m.get(key) instanceof YNode.Scalar s && Boolean.TRUE.equals(s.value());
    }

    private static List<String> features(YNode.Map m, boolean versioning, boolean lock) {
        List<String> out = new ArrayList<>();
        if (versioning) {
            out.add("versioning");
        }
        if (lock) {
            out.add("object locking");
        }
        if (m.get("quota") != null) {
            out.add("a quota");
        }
        return out;
    }

    private static Optional<String> text(YNode.Map m, String key) {
        return m.get(key) instanceof YNode.Scalar s && s.value() != null && !String.valueOf(s.value()).isBlank()
                ? Optional.of(String.valueOf(s.value())) : Optional.empty();
    }

    /** A name S3 takes that resembles {@code name}. */
    static String suggestion(String name) {
        String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[.-]+|[.-]+$", "");
        s = s.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? "bucket-" + s.replace('.', '-') : s;
        s = s.length() > 63 ? s.substring(0, 63) : s;
        return s.length() < 3 ? (s + "-bucket").replaceAll("^-", "") : s;
    }
}
