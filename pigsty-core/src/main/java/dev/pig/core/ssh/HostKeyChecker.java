package dev.pig.core.ssh;

import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

import java.io.IOException;
import java.security.PublicKey;
import java.util.List;

/**
 * Checks a server's key against the run's {@link KnownHosts} under a {@link HostKeyPolicy}. One
 * instance per connection attempt: it remembers why it refused, so the caller can report that
 * instead of sshj's generic message.
 */
final class HostKeyChecker implements HostKeyVerifier {

    private final String host;
    private final HostKeyPolicy policy;
    private final KnownHosts known;
    private final java.nio.file.Path pigFile;
    private volatile String refusal;

    HostKeyChecker(String host, ConnectOptions opts) {
        this.host = host;
        this.policy = opts.hostKeyPolicy();
        this.known = KnownHosts.of(opts.userKnownHosts(), opts.pigKnownHosts());
        this.pigFile = opts.pigKnownHosts();
    }

    /** Why the key was refused, or null. */
    String refusal() {
        return refusal;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        if (policy == HostKeyPolicy.OFF) {
            return true;
        }
        String type = KeyType.fromKey(key).toString();
        String offered = type + " " + KnownHosts.fingerprint(key);
        KnownHosts.Verdict v;
        try {
            v = known.check(host, port, key);
        } catch (IOException e) {
            refusal = "cannot read known_hosts: " + e.getMessage();
            return false;
        }
        if (v instanceof KnownHosts.Verdict.Known) {
            return true;
        } else if (v instanceof KnownHosts.Verdict.Revoked r) {
            refusal = "host key " + offered + " is REVOKED (@revoked on line " + r.entry().line() + " of " + r.entry().file()
                    + "); refusing to connect";
        } else if (v instanceof KnownHosts.Verdict.Changed c) {
            refusal = "host key CHANGED (" + offered + "); if the host was reinstalled, remove line " + c.entry().line()
                    + " of " + c.entry().file() + " and retry";
        } else if (v instanceof KnownHosts.Verdict.OtherType o) {
            // under accept-new this is not a new host: a man in the middle would only need another key type
            refusal = "host key of another type (" + offered + ") than the " + o.entry().keyType() + " key known on line "
                    + o.entry().line() + " of " + o.entry().file() + "; if the host changed its keys, remove that line and retry";
        } else if (policy == HostKeyPolicy.STRICT) {
            refusal = "unknown host key (" + offered + ") under the strict host key policy; add it to " + pigFile
                    + " or use accept-new";
        } else {
            try {
                known.record(host, port, key);
                return true;
            } catch (IOException e) {
                refusal = "cannot record new host key in " + pigFile + ": " + e.getMessage();
            }
        }
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        // ask the server for the key type we already know, so a host with several keys is not
        // mistaken for one whose key changed
        try {
            return known.knownTypes(host, port);
        } catch (IOException e) {
            return List.of();
        }
    }
}
