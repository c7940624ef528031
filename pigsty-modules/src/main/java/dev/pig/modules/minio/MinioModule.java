package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactSection;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.MinioCluster;
import dev.pig.core.model.Node;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.GroupTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.core.task.UserTask;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.PigModule;

/**
 * MINIO: an S3 object store from each group with {@code minio_cluster}, run by the server
 * {@code minio_server} names.
 *
 * <pre>
 * minio:
 *   hosts: { 10.10.10.10: { minio_seq: 1 } }
 *   vars:
 *     minio_cluster: minio
 *     minio_server: s3proxy
 * </pre>
 *
 * {@code minio} is MinIO from the node's package sources, with Pigsty's layout (the
 * {@code minio} user, {@code ~/.minio/certs}, {@code /etc/default/minio}); Debian's archive does
 * not carry it, and the plan says so. {@code s3proxy} is S3Proxy (Apache-2.0) with its
 * filesystem store on Debian's JRE: one node, one directory, no erasure coding. Its jar is fetched
 * by the node ({@code proxy_env} applies) and installed only with the sha256 the catalog pins.
 * Each member serves TLS ({@code minio_https}) with the certificate {@link ServerCertificate}
 * gives it. Buckets and users are made idempotently: with S3Proxy a bucket is a directory of the
 * store and a user an identity file claiming the bucket its policy names; with MinIO, through
 * {@code mcli}.
 */
public final class MinioModule implements PigModule {
    static final String S3PROXY_DIR = "/opt/s3proxy";
    static final String S3PROXY_CONF = "/etc/s3proxy";
    static final String S3PROXY_UNIT = "/etc/systemd/system/s3proxy.service";
    static final String MINIO_DEFAULT = "/etc/default/minio";
    static final String MINIO_UNIT = "/etc/systemd/system/minio.service";
    static final List<String> S3PROXY_PACKAGES = List.of("default-jre-headless", "curl", "ca-certificates", "openssl");

    @Override
    public String name() {
        return "minio";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public List<String> tags() {
        return List.of("minio_install", "minio_os_user", "minio_dir", "minio_cert", "minio_config", "minio_launch", "minio_bucket",
                "minio_user");
    }

    @Override
    public List<Node> hosts(ClusterModel model) {
        List<String> ids = model.minio().stream().flatMap(c -> c.members().stream()).map(MinioCluster.Member::ip).toList();
        return model.nodes().stream().filter(n -> ids.contains(n.id())).toList();
    }

    @Override
    public List<FactSection<?>> factSections(ModuleContext ctx) {
        return ctx.model().minio().stream().anyMatch(c -> !c.s3proxy()) ? List.of(new PackageCandidates()) : List.of();
    }

    @Override
    public List<Staged> tasks(ModuleContext ctx, Node node) {
        MinioNode n = MinioNode.find(ctx, node).orElseThrow();
        HostVars v = n.v();
        String user = n.user();
        boolean s3proxy = n.cluster().s3proxy();
        ServerCertificate cert = ServerCertificate.of(n);
        List<Staged> out = new ArrayList<>();

        // ---------------------------------------------------------------- minio_install
        if (s3proxy) {
            out.add(stage(1, "install", new PackagesTask("s3proxy runtime", S3PROXY_PACKAGES, "minio_install", ModuleContext.PACKAGE_BATCH)));
        } else {
            out.add(stage(1, "install", minioPackages()));
        }

        // ---------------------------------------------------------------- minio_os_user
        out.add(stage(2, "os user", new GroupTask(user, null, "minio_os_user")));
        out.add(stage(2, "os user", new UserTask(user, null, user, n.home(), "/usr/sbin/nologin", "minio_os_user")));
        out.add(stage(2, "os user", new DirectoryTask(n.home(), "0750", user, user, "minio_os_user")));

        // ---------------------------------------------------------------- minio_dir
        String data = v.str("minio_data");
        if (s3proxy) {
            out.add(stage(3, "dirs", new DirectoryTask(data, "0750", user, user, "minio_dir")));
            out.add(stage(3, "dirs", new DirectoryTask(S3PROXY_DIR, "0755", "root", "root", "minio_install")));
            out.add(stage(3, "dirs", fetchS3Proxy(v)));
        } else {
            for (String d : S3Layout.drives(data)) {
                out.add(stage(3, "dirs", new DirectoryTask(d, "0750", user, user, "minio_dir")));
            }
        }

        // ---------------------------------------------------------------- minio_cert
        if (v.bool("minio_https")) {
            cert.tasks().forEach(t -> out.add(stage(4, "cert", t)));
        } else {
            out.add(stage(4, "cert", new Skip("certificate of " + n.instance(), "minio_cert", "minio_https is false: S3 is served over http")));
        }

        // ---------------------------------------------------------------- minio_config, minio_user
        List<String> restartOn = new ArrayList<>();
        if (s3proxy) {
            out.add(stage(5, "config", new DirectoryTask(S3PROXY_CONF, "0750", "root", user, "minio_config")));
            S3ProxyConfig conf = S3ProxyConfig.of(n, cert);
            for (Map.Entry<String, Map<String, Object>> f : conf.files().entrySet()) {
                String tag = f.getKey().endsWith("/root.properties") ? "minio_config" : "minio_user";
                out.add(stage(5, "config", ctx.file(f.getKey(), "minio/s3proxy.properties.ftl", f.getValue(), "0640", "root", user, tag, true)));
                restartOn.add(f.getKey());
            }
            out.add(stage(5, "config", ctx.file(S3PROXY_UNIT, "minio/s3proxy.service.ftl", conf.unit(), "0644", "root", "root",
                    "minio_config", false)));
            restartOn.add(S3PROXY_UNIT);
            // a user no longer in minio_users loses its identity file, and the server its identity
            out.add(stage(5, "config", conf.stale()));
        } else {
            out.add(stage(5, "config", ctx.file(MINIO_DEFAULT, "minio/minio.default.ftl", MinioConfig.env(n), "0640", "root", user,
                    "minio_config", true)));
            out.add(stage(5, "config", ctx.file(MINIO_UNIT, "minio/minio.service.ftl", Map.of("minio_instance", n.instance(),
                    "minio_cluster", n.cluster().name(), "minio_user", user), "0644", "root", "root", "minio_config", false)));
            restartOn.addAll(List.of(MINIO_DEFAULT, MINIO_UNIT));
        }
        if (v.bool("minio_https")) {
            restartOn.add(cert.certificate());
        }

        // ---------------------------------------------------------------- minio_launch
        String unit = s3proxy ? "s3proxy.service" : "minio.service";
        out.add(stage(6, "launch", new UnitTask(unit, true, true, restartOn, List.of(), "minio_launch")));
        String probe = S3Layout.answers(n, "127.0.0.1");
        out.add(stage(6, "launch", CommandTask.unless(unit + " answers", probe, "for i in $(seq 90); do " + probe
                + " && exit 0; sleep 1; done; echo " + Shell.quote(unit + " does not answer at " + n.url("127.0.0.1") + " after 90 s")
                + " >&2; exit 1", "minio_launch")));

        // ---------------------------------------------------------------- minio_bucket, minio_user
        if (!v.bool("minio_provision")) {
            out.add(stage(7, "provision", new Skip("buckets and users", "minio_bucket", "minio_provision is false")));
        } else if (s3proxy) {
            // S3Proxy's filesystem store keeps a bucket as a directory; a claimed bucket refuses the root
            // user, so the directory is the one way to make it that works for every bucket
            for (MinioCluster.Bucket b : n.cluster().buckets()) {
                out.add(stage(7, "provision", new DirectoryTask(data + "/" + b.name(), "0750", user, user, "minio_bucket")));
            }
        } else {
            MinioConfig.provision(n).forEach(t -> out.add(stage(7, "provision", t)));
        }
        return out;
    }

    private static Staged stage(int n, String name, Task task) {
        return Staged.of(String.format("%02d.%02d %s %s", 40, n, "minio", name), task);
    }

    /** MinIO's packages, when the node's sources offer them; the reason and the way out when they do not. */
    private static Task minioPackages() {
        PackagesTask install = new PackagesTask("minio", PackageCandidates.PACKAGES, "minio_install");
        return new Deferred(install.name(), "minio_install", b -> {
            install.require(b);
            b.sections(PackageCandidates.NAME);
        }, (facts, pctx) -> {
            PackageCandidates.View offered = facts.extra(new PackageCandidates());
            List<String> missing = PackageCandidates.PACKAGES.stream()
                    .filter(p -> !facts.pkg(p).installed() && !offered.offers(p)).toList();
            if (!missing.isEmpty()) {
                throw new PigException(PigException.Kind.USAGE, facts.host() + ": no package source of this node offers "
                        + String.join(" or ", missing) + " (Debian's archive does not carry MinIO). Add a repository that does to"
                        + " repo_upstream and node_repo_modules (Pigsty's infra repository carries both), install them by hand,"
                        + " or run S3Proxy instead: minio_server: s3proxy");
            }
            return install;
        });
    }

    /** S3Proxy's jar, fetched by the node and kept only when its sha256 is the pinned one, under a name of that hash. */
    private static Task fetchS3Proxy(HostVars v) {
        String url = v.str("minio_s3proxy_url");
        String sha = v.str("minio_s3proxy_sha256").toLowerCase(java.util.Locale.ROOT);
        String jar = S3Layout.jar(v);
        String part = S3PROXY_DIR + "/.download";
        StringBuilder env = new StringBuilder();
        v.dict("proxy_env").forEach((k, x) -> {
            if (List.of("http_proxy", "https_proxy", "no_proxy", "all_proxy").contains(k.toLowerCase(java.util.Locale.ROOT)) && x != null) {
                env.append("export ").append(k).append('=').append(Shell.quote(String.valueOf(x))).append("; ");
            }
        });
        String cmd = env + "rm -f " + Shell.quote(part) + "; curl -fsSL --retry 3 --connect-timeout 20 -o " + Shell.quote(part) + " "
                + Shell.quote(url) + " || { echo " + Shell.quote("cannot fetch S3Proxy from " + url + " (proxy_env applies)") + " >&2; exit 1; }; "
                + "got=$(sha256sum " + Shell.quote(part) + " | cut -d' ' -f1); if [ \"$got\" != " + Shell.quote(sha) + " ]; then rm -f "
                + Shell.quote(part) + "; printf 'the file at %s has sha256 %s, not the pinned %s (minio_s3proxy_sha256): it is not installed\\n' "
                + Shell.quote(url) + " \"$got\" " + Shell.quote(sha) + " >&2; exit 1; fi; chmod 0644 " + Shell.quote(part) + " && mv -f "
                + Shell.quote(part) + " " + Shell.quote(jar);
        // the jar reaches its name (the pinned hash's first digits) only once its sha256 matched; it
        // is not hashed again at every plan, which would cost a facts run ~0.2 s of CPU for 55 MB
        return CommandTask.unless("fetch " + jar, "test -s " + Shell.quote(jar), cmd, "minio_install");
    }

    @Override
    public List<Staged> removal(ModuleContext ctx, Node node) {
        MinioNode n = MinioNode.find(ctx, node).orElseThrow();
        HostVars v = n.v();
        if (v.bool("minio_safeguard")) {
            throw new PigException(PigException.Kind.USAGE, "minio_safeguard is set for " + n.instance() + " (" + node.id()
                    + "): refusing to remove it (override with -e minio_safeguard=false)");
        }
        boolean s3proxy = n.cluster().s3proxy();
        String unit = s3proxy ? "s3proxy.service" : "minio.service";
        List<Staged> out = new ArrayList<>();
        out.add(stage(1, "stop", CommandTask.unless("stop " + unit, "! systemctl is-active -q " + unit + " && ! systemctl is-enabled -q " + unit,
                "systemctl disable --now " + unit + " 2>/dev/null || true", "minio_launch")));
        List<String> paths = new ArrayList<>(s3proxy ? List.of(S3PROXY_UNIT, S3PROXY_CONF, S3PROXY_DIR) : List.of(MINIO_UNIT, MINIO_DEFAULT));
        if (v.bool("minio_rm_data")) {
            paths.addAll(S3Layout.drives(v.str("minio_data")));
        }
        for (String p : paths) {
            out.add(stage(2, "clean", CommandTask.unless("remove " + p, "! test -e " + Shell.quote(p),
                    "rm -rf " + Shell.quote(p) + (p.endsWith(".service") ? " && systemctl daemon-reload" : ""), "minio_config")));
        }
        if (v.bool("minio_rm_pkg") && !s3proxy) {
            out.add(stage(3, "packages", CommandTask.unless("remove minio packages", "! dpkg -s minio >/dev/null 2>&1",
                    "apt-get remove -y -q minio mcli", "minio_install")));
        }
        return out;
    }

    /** What every template of the module is given, under Pigsty's parameter names. */
    static Map<String, Object> base(MinioNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minio_cluster", n.cluster().name());
        m.put("minio_port", n.me().port());
        m.put("minio_https", n.v().bool("minio_https"));
        m.put("minio_data", n.v().str("minio_data"));
        m.put("minio_user", n.user());
        return m;
    }
}
