package dev.pig.core.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a server's key against the user's known_hosts and pig's own file under a
 * {@link HostKeyPolicy}. One instance per connection attempt: it remembers why it refused, so the
 * caller can report that instead of sshj's generic message.
 */
final class HostKeyChecker implements HostKeyVerifier {

    private final String host;
    private final HostKeyPolicy policy;
    private final Path userFile;
    private final Path pigFile;
    private volatile String refusal;

    HostKeyChecker(String host, ConnectOptions opts) {
        this.host = host;
        this.policy = opts.hostKeyPolicy();
        this.userFile = opts.userKnownHosts();
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
        String blob = Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
        String token = KnownHosts.hostToken(host, port);
        List<KnownHosts.Entry> entries;
        try {
            entries = matching(token);
        } catch (IOException e) {
            refusal = "cannot read known_hosts: " + e.getMessage();
            return false;
        }
        KnownHosts.Entry changed = null;
        for (KnownHosts.Entry e : entries) {
            if (e.keyType().equals(type)) {
                if (e.key().equals(blob)) {
                    return true;
                }
                changed = changed == null ? e : changed;
            }
        }
        if (changed != null) {
            refusal = "host key CHANGED (" + type + " " + KnownHosts.fingerprint(blob) + "); if the host was "
                    + "reinstalled, remove line " + changed.line() + " of " + changed.file() + " and retry";
            return false;
        }
        if (policy == HostKeyPolicy.STRICT) {
            refusal = "unknown host key (" + type + " " + KnownHosts.fingerprint(blob) + ") under the strict "
                    + "host key policy; add it to " + pigFile + " or use accept-new";
            return false;
        }
        try {
            KnownHosts.append(pigFile, token, type, blob);
            return true;
        } catch (IOException e) {
            refusal = "cannot record new host key in " + pigFile + ": " + e.getMessage();
            return false;
        }
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        // ask the server for the key type we already know, so a host with several keys is not
        // mistaken for one whose key changed
        Set<String> algs = new LinkedHashSet<>();
        try {
            for (KnownHosts.Entry e : matching(KnownHosts.hostToken(host, port))) {
                if (e.keyType().equals("ssh-rsa")) {
                    algs.add("rsa-sha2-512");
                    algs.add("rsa-sha2-256");
                }
                algs.add(e.keyType());
            }
        } catch (IOException e) {
            return List.of();
        }
        return new ArrayList<>(algs);
    }

    private List<KnownHosts.Entry> matching(String token) throws IOException {
        List<KnownHosts.Entry> out = new ArrayList<>();
        for (Path f : new Path[]{userFile, pigFile}) {
            for (KnownHosts.Entry e : KnownHosts.read(f)) {
                if (e.appliesTo(token)) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
