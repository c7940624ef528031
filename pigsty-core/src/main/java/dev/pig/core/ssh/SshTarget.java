package dev.pig.core.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach one host.
 *
 * <pre>
 * pg-test:
 *   hosts:
 *     10.10.10.11: { pg_seq: 1, ansible_ssh_private_key_file: ~/.ssh/pg_ed25519 }
 * </pre>
 *
 * @param host        name or address as written in the inventory; also the key of the connection pool
 * @param port        SSH port, 22 unless the inventory says otherwise
 * @param user        login user, {@code root} unless the inventory says otherwise
 * @param privateKeys key files to try in order; empty means the defaults of {@link ConnectOptions}
 * @param become      run commands through {@code sudo -n} when the user is not root
 * @param local       run commands on this machine without SSH ({@code connection: local})
 */
public record SshTarget(String host, int port, String user, List<Path> privateKeys, boolean become, boolean local) {

    public SshTarget {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        user = user == null || user.isBlank() ? "root" : user;
        privateKeys = privateKeys == null ? List.of() : List.copyOf(privateKeys);
    }

    /** Root on port 22 with the default keys. */
    public static SshTarget of(String host) {
        return new SshTarget(host, 22, "root", List.of(), true, false);
    }

    /** This machine, without SSH. */
    public static SshTarget local(String name) {
        return new SshTarget(name, 22, System.getProperty("user.name"), List.of(), true, true);
    }

    public SshTarget withPort(int p) {
        return new SshTarget(host, p, user, privateKeys, become, local);
    }

    public SshTarget withUser(String u) {
        return new SshTarget(host, port, u, privateKeys, become, local);
    }

    public SshTarget withPrivateKeys(List<Path> keys) {
        return new SshTarget(host, port, user, keys, become, local);
    }

    /** Whether commands need {@code sudo -n} to run as root. */
    public boolean needsSudo() {
        return become && !"root".equals(user);
    }
}
