package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.model.MinioCluster;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;

/**
 * MinIO's own configuration ({@code /etc/default/minio}) and its provisioning through
 * {@code mcli}, on the first member: the root credentials reach {@code mcli} through its
 * {@code MC_HOST_} variable set from stdin, and each user's secret on {@code mcli}'s stdin.
 */
final class MinioConfig {
    /** Where a hash of each user's entry is kept once the user is made: root's only. */
    static final String STAMPS = "/var/lib/pig/minio-users";

    private MinioConfig() {
    }

    /** The data of {@code minio.default.ftl}. */
    static Map<String, Object> env(MinioNode n) {
        Map<String, Object> m = new LinkedHashMap<>(MinioModule.base(n));
        m.put("minio_instance", n.instance());
        String volumes = n.v().str("minio_volumes");
        if (volumes.isBlank()) {
            List<MinioCluster.Member> ms = n.cluster().members();
            if (ms.size() == 1) {
                volumes = n.v().str("minio_data");
            } else {
                String pattern = n.v().str("minio_node").replace("${minio_cluster}", n.cluster().name())
                        .replace("${minio_seq}", "{" + ms.get(0).seq() + "..." + ms.get(ms.size() - 1).seq() + "}");
                volumes = (n.v().bool("minio_https") ? "https" : "http") + "://" + pattern + ":" + n.me().port() + n.v().str("minio_data");
            }
        }
        m.put("minio_volumes", volumes);
        m.put("minio_opts", "--address :" + n.me().port() + " --console-address :" + n.v().integer("minio_admin_port"));
        m.put("minio_access_key", n.v().str("minio_access_key"));
        m.put("minio_secret_key", n.v().secret("minio_secret_key").reveal());
        Map<String, String> extra = new LinkedHashMap<>();
        for (String line : n.v().str("minio_extra_vars").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().matches("MINIO_[A-Z0-9_]+")) {
                extra.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        m.put("minio_extra_vars", extra);
        return m;
    }

    /** Buckets, their policies and the users, made with {@code mcli} on the first member only. */
    static List<Task> provision(MinioNode n) {
        MinioCluster c = n.cluster();
        if (c.members().get(0) != n.me()) {
            return List.of(new Skip("buckets and users", "minio_bucket", "made on the first member " + c.members().get(0).ip() + " only"));
        }
        String alias = "pig";
        // the root credentials on stdin, as the first line, into the environment mcli reads
        String prelude = "set -e\nIFS= read -r MC_HOST_" + alias + "\nexport MC_HOST_" + alias + "\n";
        String url = n.url("127.0.0.1");
        String creds = url.replace("://", "://" + n.v().str("minio_access_key") + ":" + n.v().secret("minio_secret_key").reveal() + "@");
        List<Task> out = new ArrayList<>();
        for (MinioCluster.Bucket b : c.buckets()) {
            List<String> mb = new ArrayList<>(List.of("mcli", "--insecure", "mb", "--ignore-existing"));
            if (b.lock()) {
                mb.add("--with-lock");
            }
            if (b.versioning()) {
                mb.add("--with-versioning");
            }
            mb.add(alias + "/" + b.name());
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],\"Resource\":["
                    + "\"arn:aws:s3:::" + b.name() + "\",\"arn:aws:s3:::" + b.name() + "/*\"]}]}";
            // the policy goes through a file of the step's own (mktemp: a fresh name, made 0600 without
            // following anything), never a fixed name in /tmp that another user could have planted
            String cmd = prelude + Shell.join(mb) + "\npig_policy=$(mktemp)\ntrap 'rm -f \"$pig_policy\"' EXIT\nprintf '%s' "
                    + Shell.quote(policy) + " > \"$pig_policy\"\n"
                    + Shell.join(List.of("mcli", "--insecure", "admin", "policy", "create", alias, b.name())) + " \"$pig_policy\"\n";
            // MinIO keeps a bucket as a directory on each drive: the first one tells
            String dir = S3Layout.drives(n.v().str("minio_data")).get(0) + "/" + b.name();
            out.add(CommandTask.unless("bucket " + b.name(), "test -d " + Shell.quote(dir), cmd, "minio_bucket").withInput(creds + "\n"));
        }
        for (MinioCluster.User u : c.users()) {
            // what was made is remembered as a hash of the user's entry, root's alone, so an entry
            // changed in the inventory (a new secret) is made again and an unchanged one is left alone
            String stamp = STAMPS + "/" + dev.pig.core.plan.Step.Hashes.sha256(u.accessKey().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 16);
            String want = dev.pig.core.plan.Step.Hashes.sha256((u.accessKey() + "\0" + u.secretKey().reveal() + "\0" + u.policy())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\n";
            String wantSha = dev.pig.core.plan.Step.Hashes.sha256(want.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // mcli asks for the keys on its stdin when they are not on its command line
            String cmd = prelude + "IFS= read -r pig_secret\nIFS= read -r pig_stamp\nprintf '%s\\n%s\\n' " + Shell.quote(u.accessKey())
                    + " \"$pig_secret\" | " + Shell.join(List.of("mcli", "--insecure", "admin", "user", "add", alias)) + " >/dev/null\n"
                    + (u.policy().isEmpty() ? "" : Shell.join(List.of("mcli", "--insecure", "admin", "policy", "attach", alias, u.policy(),
                    "--user=" + u.accessKey())) + " >/dev/null 2>&1 || true\n")
                    + "mkdir -p -m 0700 " + STAMPS + " && (umask 077 && printf '%s\\n' \"$pig_stamp\" > " + Shell.quote(stamp) + ")\n";
            String name = "user " + u.accessKey();
            out.add(new dev.pig.core.task.Deferred("command " + name, "minio_user", b -> b.files(stamp), (facts, pctx) ->
                    CommandTask.unlessFacts(name, b -> { }, f -> f.file(stamp).exists() && f.file(stamp).sha256().equals(wantSha),
                            "user " + u.accessKey() + " was made with the same secret and policy", cmd, "minio_user")
                            .withInput(creds + "\n" + u.secretKey().reveal() + "\n" + want)));
        }
        return out;
    }
}
