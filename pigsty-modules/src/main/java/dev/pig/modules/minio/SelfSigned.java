package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pig.core.model.Net;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.Task;
import dev.pig.modules.Deployment;

/**
 * A certificate each member makes for itself, once: the key is made on the member by its OS
 * user with openssl and never leaves it; the certificate names the member's IP, {@code minio_node},
 * {@code minio_domain} and the loopback address. A client trusts it as its own anchor, copied to
 * the client by pig ({@link dev.pig.core.task.CopiedFile}). S3Proxy reads it from a PKCS#12 key
 * store beside it, whose password guards nothing the file's mode does not (the file is the OS
 * user's, 0600), so it is a constant rather than a secret to keep.
 */
final class SelfSigned implements ServerCertificate {
    static final String KEYSTORE_PASSWORD = "s3proxy-keystore";
    private final MinioNode n;

    SelfSigned(MinioNode n) {
        this.n = n;
    }

    String dir() {
        return n.home() + "/.minio/certs";
    }

    @Override
    public String certificate() {
        return dir() + "/public.crt";
    }

    @Override
    public String key() {
        return dir() + "/private.key";
    }

    /** The key store S3Proxy reads. */
    String keystore() {
        return dir() + "/s3proxy.p12";
    }

    /** The certificate's subject alternative names. */
    List<String> names() {
        Set<String> out = new LinkedHashSet<>();
        out.add("IP:" + n.me().ip());
        for (String dns : List.of(n.nodeName(), n.v().str("minio_domain"), "localhost")) {
            if (!dns.isBlank()) {
                out.add((Net.isIp(dns) ? "IP:" : "DNS:") + dns);
            }
        }
        out.add("IP:127.0.0.1");
        return List.copyOf(out);
    }

    @Override
    public List<Task> tasks() {
        String user = n.user();
        List<Task> out = new ArrayList<>();
        out.add(new DirectoryTask(n.home() + "/.minio", "0700", user, user, "minio_cert"));
        out.add(new DirectoryTask(dir(), "0700", user, user, "minio_cert"));
        boolean s3proxy = n.cluster().s3proxy();
        // made by the OS user in its own directory: root never writes there
        String script = "umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj \"/CN=$1\" -addext \"$2\""
                + " -keyout \"$3\" -out \"$4\" 2>/dev/null"
                + (s3proxy ? " && printf '%s\\n' \"$6\" | openssl pkcs12 -export -in \"$4\" -inkey \"$3\" -name s3proxy -out \"$5\" -passout stdin" : "");
        String make = "command -v openssl >/dev/null || { echo 'openssl is missing: apt-get install openssl' >&2; exit 1; }\n"
                + "(cd / && exec " + Shell.join(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--",
                "sh", "-c", script, "sh", n.instance(), "subjectAltName=" + String.join(",", names()), key(), certificate(), keystore(),
                KEYSTORE_PASSWORD)) + ")\n";
        List<String> files = new ArrayList<>(List.of(certificate(), key()));
        if (s3proxy) {
            files.add(keystore());
        }
        out.add(CommandTask.unlessFacts("certificate of " + n.instance(), b -> {
            b.fileWithContent(certificate());
            b.files(key(), keystore());
        }, f -> files.stream().allMatch(p -> f.file(p).exists()),
                n.instance() + " has its certificate and key" + (s3proxy ? " and S3Proxy's key store" : "") + " (" + dir() + ")",
                make, "minio_cert"));
        return out;
    }

    @Override
    public List<Step.Copy.Source> trust() {
        return List.of(new Step.Copy.Source(Deployment.target(n.ctx().model().node(n.me().ip()).orElseThrow()).host(), certificate()));
    }
}
