package dev.pig.sandbox;

import java.nio.file.Path;

/**
 * Where the sandbox keeps its files on the host.
 *
 * @param state      node disks, pid files, logs and the proxy's files ({@code /var/lib/pig/sandbox})
 * @param cache      base images ({@code /var/cache/pig/sandbox})
 * @param userDir    pig's directory in the user's home ({@code ~/.pig})
 */
public record SandboxLayout(Path state, Path cache, Path userDir) {

    /** The standard places. */
    public static SandboxLayout defaults() {
        return new SandboxLayout(Path.of("/var/lib/pig/sandbox"), Path.of("/var/cache/pig/sandbox"),
                Path.of(System.getProperty("user.home"), ".pig"));
    }

    public Path nodes() {
        return state.resolve("nodes");
    }

    /** A node's directory: upper, work and merged trees, host keys, pid and console log. */
    public Path node(SandboxHost h) {
        return nodes().resolve(h.ip());
    }

    /** Where a node's overlay disk is mounted: its root file system. */
    public Path merged(SandboxHost h) {
        return node(h).resolve("merged");
    }

    /** The PID of a node's systemd-nspawn. */
    public Path nspawnPid(SandboxHost h) {
        return node(h).resolve("nspawn.pid");
    }

    /** What a node printed on its console. */
    public Path console(SandboxHost h) {
        return node(h).resolve("console.log");
    }

    public Path proxyDir() {
        return state.resolve("tinyproxy");
    }

    /** The key pig sandbox logs in with; its public half is in every node's authorized_keys. */
    public Path key() {
        return userDir.resolve("sandbox").resolve("id_ed25519");
    }

    /** pig's own known_hosts, shared with the SSH transport. */
    public Path knownHosts() {
        return userDir.resolve("known_hosts");
    }
}
