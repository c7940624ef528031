package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.model.MinioCluster;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Task;

/**
 * S3Proxy's configuration: one properties file per identity, each read with {@code --properties}.
 * The root user ({@code minio_access_key}) claims no bucket; each user of {@code minio_users}
 * claims the bucket its policy names, which S3Proxy then refuses to every other identity, the root
 * user's included. A bucket no user claims is open to every identity: S3Proxy has no finer
 * policy (no read-only users, no per-prefix rights).
 *
 * @param files the properties files by path, each with its template data
 * @param unit  the data of {@code s3proxy.service}
 */
record S3ProxyConfig(Map<String, Map<String, Object>> files, Map<String, Object> unit, List<String> userFiles) {

    static S3ProxyConfig of(MinioNode n, ServerCertificate cert) {
        Map<String, Map<String, Object>> files = new LinkedHashMap<>();
        List<String> userFiles = new ArrayList<>();
        String root = MinioModule.S3PROXY_CONF + "/root.properties";
        files.put(root, data(n, cert, "root.properties", "root (minio_access_key)", n.v().str("minio_access_key"),
                n.v().secret("minio_secret_key").reveal(), List.of()));
        int i = 0;
        for (MinioCluster.User u : n.cluster().users()) {
            String name = "user-" + (++i) + ".properties";
            String path = MinioModule.S3PROXY_CONF + "/" + name;
            files.put(path, data(n, cert, name, "of minio_users", u.accessKey(), u.secretKey().reveal(),
                    u.policy().isEmpty() ? List.of() : List.of(u.policy())));
            userFiles.add(path);
        }
        Map<String, Object> unit = new LinkedHashMap<>(MinioModule.base(n));
        unit.put("s3proxy_jar", S3Layout.jar(n.v()));
        unit.put("properties_files", List.copyOf(files.keySet()));
        return new S3ProxyConfig(files, unit, userFiles);
    }

    private static Map<String, Object> data(MinioNode n, ServerCertificate cert, String file, String kind, String identity, String credential,
                                            List<String> buckets) {
        Map<String, Object> m = new LinkedHashMap<>(MinioModule.base(n));
        m.put("file_name", file);
        m.put("identity_kind", kind);
        m.put("identity", identity);
        m.put("credential", credential);
        m.put("buckets", buckets);
        m.put("keystore_path", cert instanceof CaIssued c ? c.keystore() : "");
        m.put("keystore_password", CaIssued.KEYSTORE_PASSWORD);
        return m;
    }

    /** Removes identity files of users no longer in {@code minio_users}. */
    Task stale() {
        String keep = String.join(" ", userFiles.stream().map(p -> "-e " + Shell.quote(p)).toList());
        String list = "ls -1 " + MinioModule.S3PROXY_CONF + "/user-*.properties 2>/dev/null" + (userFiles.isEmpty() ? "" : " | grep -vxF " + keep);
        return CommandTask.unless("remove identities of former users", "[ -z \"$(" + list + ")\" ]",
                list + " | while IFS= read -r f; do rm -f -- \"$f\"; done", "minio_user");
    }
}
