package dev.pig.core.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.pig.core.model.Secret;

/**
 * Settings shared by every connection of a run.
 *
 * @param connectTimeout   how long to wait for TCP connect and the SSH handshake
 * @param commandTimeout   default limit for one remote command
 * @param keepAlive        interval of SSH keepalive messages; zero disables them. A host that
 *                         answers none of {@link #KEEP_ALIVE_MISSES} in a row is lost: its
 *                         commands fail instead of waiting on a dead TCP connection
 * @param hostKeyPolicy    what to do with unknown host keys
 * @param userKnownHosts   the user's OpenSSH file, read only ({@code ~/.ssh/known_hosts})
 * @param pigKnownHosts    pig's own file, where accepted new keys are recorded ({@code ~/.pig/known_hosts})
 * @param defaultKeys      keys tried when a target names none: {@code --private-key}, else
 *                         {@code ~/.ssh/id_ed25519} and {@code ~/.ssh/id_rsa}
 * @param keyPassphrase    the passphrase of encrypted key files, or null
 * @param agentSocket      the ssh-agent to ask for keys first ({@code SSH_AUTH_SOCK}), or null
 */
public record ConnectOptions(Duration connectTimeout, Duration commandTimeout, Duration keepAlive,
                             HostKeyPolicy hostKeyPolicy, Path userKnownHosts, Path pigKnownHosts,
                             List<Path> defaultKeys, Secret keyPassphrase, Path agentSocket) {

    /** Keepalive messages a host may leave unanswered in a row before its connection is given up. */
    public static final int KEEP_ALIVE_MISSES = 4;

    public ConnectOptions {
        defaultKeys = List.copyOf(defaultKeys);
    }

    /** Without a key passphrase or an agent. */
    public ConnectOptions(Duration connectTimeout, Duration commandTimeout, Duration keepAlive, HostKeyPolicy hostKeyPolicy,
                          Path userKnownHosts, Path pigKnownHosts, List<Path> defaultKeys) {
        this(connectTimeout, commandTimeout, keepAlive, hostKeyPolicy, userKnownHosts, pigKnownHosts, defaultKeys, null, null);
    }

    /** The usual settings for the current user's home directory. */
    public static ConnectOptions defaults() {
        return forHome(Path.of(System.getProperty("user.home")), null);
    }

    /**
     * Settings for a home directory, with an optional {@code --private-key} that replaces the
     * default key files.
     */
    public static ConnectOptions forHome(Path home, Path privateKey) {
        List<Path> keys = new ArrayList<>();
        if (privateKey != null) {
            keys.add(privateKey);
        } else {
            keys.add(home.resolve(".ssh/id_ed25519"));
            keys.add(home.resolve(".ssh/id_rsa"));
        }
        return new ConnectOptions(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(15),
                HostKeyPolicy.ACCEPT_NEW, home.resolve(".ssh/known_hosts"), home.resolve(".pig/known_hosts"), keys);
    }

    public ConnectOptions withHostKeyPolicy(HostKeyPolicy p) {
        return new ConnectOptions(connectTimeout, commandTimeout, keepAlive, p, userKnownHosts, pigKnownHosts, defaultKeys,
                keyPassphrase, agentSocket);
    }

    public ConnectOptions withConnectTimeout(Duration d) {
        return new ConnectOptions(d, commandTimeout, keepAlive, hostKeyPolicy, userKnownHosts, pigKnownHosts, defaultKeys,
                keyPassphrase, agentSocket);
    }

    public ConnectOptions withCommandTimeout(Duration d) {
        return new ConnectOptions(connectTimeout, d, keepAlive, hostKeyPolicy, userKnownHosts, pigKnownHosts, defaultKeys,
                keyPassphrase, agentSocket);
    }

    public ConnectOptions withKeepAlive(Duration d) {
        return new ConnectOptions(connectTimeout, commandTimeout, d, hostKeyPolicy, userKnownHosts, pigKnownHosts, defaultKeys,
                keyPassphrase, agentSocket);
    }

    /** The passphrase of encrypted key files ({@code PIG_SSH_KEY_PASSPHRASE}); null for none. */
    public ConnectOptions withKeyPassphrase(Secret s) {
        return new ConnectOptions(connectTimeout, commandTimeout, keepAlive, hostKeyPolicy, userKnownHosts, pigKnownHosts,
                defaultKeys, s, agentSocket);
    }

    /** The ssh-agent socket ({@code SSH_AUTH_SOCK}); null for none. */
    public ConnectOptions withAgent(Path socket) {
        return new ConnectOptions(connectTimeout, commandTimeout, keepAlive, hostKeyPolicy, userKnownHosts, pigKnownHosts,
                defaultKeys, keyPassphrase, socket);
    }

    /** The key files to try for a target, keeping only those that exist. */
    List<Path> keysFor(SshTarget t) {
        List<Path> wanted = t.privateKeys().isEmpty() ? defaultKeys : t.privateKeys();
        return wanted.stream().filter(Files::isRegularFile).toList();
    }

    /** The key files that would be tried, whether or not they exist, for error messages. */
    List<Path> keysWanted(SshTarget t) {
        return t.privateKeys().isEmpty() ? defaultKeys : t.privateKeys();
    }
}
