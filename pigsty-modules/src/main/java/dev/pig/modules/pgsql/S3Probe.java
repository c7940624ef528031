package dev.pig.modules.pgsql;

import java.util.Map;

import dev.pig.core.fact.ClusterSection;
import dev.pig.core.ssh.Shell;
import dev.pig.modules.HostVars;

/**
 * Whether the endpoint of the cluster's S3 repository takes a TCP connection from a member, probed
 * with the facts: an endpoint nothing answers at is refused at plan time, before the stanza or
 * archiving would fail on it. Asked only for endpoints the inventory does not deploy.
 */
final class S3Probe extends ClusterSection<S3Probe.View> {
    static final String KIND = "pgsql.s3";

    /** @param detail what the probe saw, for the refusal */
    record View(boolean open, String detail) {
    }

    private S3Probe(String cluster, String script) {
        super(KIND, cluster, script);
    }

    static S3Probe of(String cluster, HostVars v) {
        Object entry = v.dict("pgbackrest_repo").get(v.str("pgbackrest_method"));
        String host = "";
        String port = "443";
        if (entry instanceof Map<?, ?> m && "s3".equals(String.valueOf(m.get("type")))) {
            host = m.get("s3_endpoint") == null ? "" : String.valueOf(m.get("s3_endpoint"));
            port = m.get("storage_port") == null ? "443" : String.valueOf(m.get("storage_port"));
        }
        if (host.isEmpty() || !port.matches("\\d{1,5}")) {
            return new S3Probe(cluster, "echo none\n");
        }
        // the host and port reach bash as arguments, never as its code
        return new S3Probe(cluster, "if timeout 3 bash -c '</dev/tcp/$1/$2' sh " + Shell.quote(host) + " " + port + " 2>/dev/null; then echo open; "
                + (dev.pig.core.model.Net.isIp(host) ? "else echo refused; fi\n"
                : "elif getent hosts " + Shell.quote(host) + " >/dev/null 2>&1; then echo refused; else echo unresolved; fi\n"));
    }

    @Override
    public View parse(String output) {
        String s = output.strip();
        return switch (s) {
            case "open", "none" -> new View(true, s);
            case "refused" -> new View(false, "no connection within 3 s");
            case "unresolved" -> new View(false, "the name does not resolve here");
            default -> new View(false, "the probe printed nothing");
        };
    }
}
