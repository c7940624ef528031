package dev.pig.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pig.sandbox.system.HostParsers;
import dev.pig.sandbox.system.Tools;

/**
 * The SSH trust between this machine and the nodes: the login key in every node's
 * {@code authorized_keys}, each node's host key (made once, kept beside its disk) and the nodes'
 * lines in pig's {@code known_hosts}.
 */
final class SandboxKeys {
    private final SandboxLayout layout;

    SandboxKeys(SandboxLayout layout) {
        this.layout = layout;
    }

    /** The public half of a key file. */
    static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    /** The login key, made if it or its public half is missing. */
    void ensureLoginKey(List<String> changes) throws IOException {
        Path key = layout.key();
        if (Files.isRegularFile(key) && Files.isRegularFile(pub(key))) {
            return;
        }
        Files.createDirectories(key.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.deleteIfExists(key);
        Files.deleteIfExists(pub(key));
        Tools.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pig-sandbox", "-f", key.toString()));
        changes.add("created SSH key " + key);
    }

    /** A node's host key: made once per node and kept beside its disk, so it survives a disk reset. */
    Path ensureHostKey(SandboxHost h) throws IOException {
        Path keys = layout.node(h).resolve("ssh");
        Files.createDirectories(keys);
        Path hostKey = keys.resolve("ssh_host_ed25519_key");
        if (!Files.isRegularFile(hostKey) || !Files.isRegularFile(pub(hostKey))) {
            Files.deleteIfExists(hostKey);
            Files.deleteIfExists(pub(hostKey));
            Tools.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@" + h.name(),
                    "-f", hostKey.toString()));
        }
        return hostKey;
    }

    /** pig's known_hosts with these nodes' current host keys, by address, in place of any older lines. */
    void writeKnownHosts(List<SandboxHost> hosts) throws IOException {
        Path kh = layout.knownHosts();
        Files.createDirectories(kh.getParent());
        String before = Files.isRegularFile(kh) ? Files.readString(kh) : "";
        StringBuilder after = new StringBuilder(HostParsers.knownHostsWithout(before, names(hosts)));
        for (SandboxHost h : hosts) {
            String[] pub = Files.readString(pub(layout.node(h).resolve("ssh/ssh_host_ed25519_key"))).strip().split("\\s+");
            after.append(h.ip()).append(' ').append(pub[0]).append(' ').append(pub[1]).append('\n');
        }
        if (!after.toString().equals(before)) {
            Files.writeString(kh, after.toString());
        }
    }

    /** Removes the nodes' lines, by address or hostname, from pig's known_hosts. */
    void forget(List<SandboxHost> hosts, List<String> done) throws IOException {
        Path kh = layout.knownHosts();
        if (Files.isRegularFile(kh)) {
            String before = Files.readString(kh);
            String after = HostParsers.knownHostsWithout(before, names(hosts));
            if (!after.equals(before)) {
                Files.writeString(kh, after);
                done.add("removed the nodes from " + kh);
            }
        }
    }

    private static Set<String> names(List<SandboxHost> hosts) {
        Set<String> s = new LinkedHashSet<>();
        for (SandboxHost h : hosts) {
            s.add(h.ip());
            s.add(h.name());
        }
        return s;
    }
}
