package dev.pig.modules.minio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pig.core.model.Net;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.task.CertificateTask;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;

/**
 * A member's certificate issued by the inventory's CA for a key the member's OS user makes with
 * openssl and keeps; it names the member's IP, {@code minio_node}, {@code minio_domain} and the
 * loopback address. Clients verify it with the CA every node trusts ({@code /etc/pki/ca.crt}).
 * S3Proxy reads it from a PKCS#12 key store beside it, made again whenever the certificate is,
 * whose password guards nothing the file's mode does not (the file is the OS user's, 0600), so
 * it is a constant rather than a secret to keep.
 */
final class CaIssued implements ServerCertificate {
    static final String KEYSTORE_PASSWORD = "s3proxy-keystore";
    private final MinioNode n;

    CaIssued(MinioNode n) {
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
            // a name that is no host name (a value left to Ansible's templating) cannot be in a certificate
            if (Net.isIp(dns) || Net.isHostname(dns)) {
                out.add((Net.isIp(dns) ? "IP:" : "DNS:") + dns);
            }
        }
        out.add("IP:127.0.0.1");
        return List.copyOf(out);
    }

    /** A command run as the member's OS user, from {@code /}: root never writes into its directory. */
    private String asUser(String... argv) {
        return CertificateTask.asUser(n.user()).apply(argv);
    }

    @Override
    public List<Task> tasks() {
        String user = n.user();
        List<Task> out = new ArrayList<>();
        out.add(new DirectoryTask(n.home() + "/.minio", "0700", user, user, "minio_cert"));
        out.add(new DirectoryTask(dir(), "0700", user, user, "minio_cert"));
        CertificateAuthority ca = n.ctx().ca(n.v());
        String request = CertificateTask.request(this::asUser, key(), n.instance());
        // the server restarts on a new certificate (MinioModule's restartOn), so nothing reloads here
        out.add(new CertificateTask(certificate(), key(), request, names(), CertificateAuthority.days(n.v().raw("cert_validity")),
                ca.certificate(), "0644", user, List.of(), "minio_cert"));
        if (n.cluster().s3proxy()) {
            String make = asUser("sh", "-c", "umask 077 && printf '%s\\n' \"$4\" | openssl pkcs12 -export -in \"$1\" -inkey \"$2\" -name s3proxy"
                    + " -out \"$3\" -passout stdin", "sh", certificate(), key(), keystore(), KEYSTORE_PASSWORD);
            out.add(new Deferred("command key store of " + n.instance(), "minio_cert", b -> b.files(keystore()), (facts, pctx) ->
                    pctx.firstChanged(List.of(certificate())) == null && facts.file(keystore()).exists()
                            ? new Skip("command key store of " + n.instance(), "minio_cert", keystore() + " holds the certificate")
                            : CommandTask.always("key store of " + n.instance(), make, "minio_cert")));
        }
        return out;
    }
}
