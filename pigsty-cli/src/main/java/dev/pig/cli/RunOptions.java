package dev.pig.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.diag.PigException;
import dev.pig.core.ssh.ConnectOptions;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.HostKeyPolicy;
import dev.pig.modules.Selection;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options of every command that reaches hosts: which hosts and tasks, and how to connect. */
public final class RunOptions {
    @Option(names = {"-l", "--limit"}, paramLabel = "HOSTS",
            description = "Only these hosts: IPs, host names, groups or clusters, comma-separated.")
    String limit;

    @Option(names = {"-t", "--tags"}, paramLabel = "TAGS",
            description = "Only tasks with these Pigsty tags (or whole modules: node, etcd ...), comma-separated.")
    String tags;

    int forks = 20;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--private-key", paramLabel = "FILE", description = "SSH key for hosts whose inventory entry names none.")
    Path privateKey;

    @Option(names = "--host-key-policy", defaultValue = "accept-new", paramLabel = "POLICY",
            description = "Unknown host keys: accept-new (record on first contact), strict or off (default: ${DEFAULT-VALUE}).")
    String hostKeyPolicy;

    @Option(names = "--templates", paramLabel = "DIR", description = "Templates here override the built-in ones by relative path.")
    Path templates;

    @Option(names = "--allow-default-passwords",
            description = "Plan even when hosts outside the sandbox would get Pigsty's default passwords or passwords equal to their user's name.")
    boolean allowDefaultPasswords;

    /** How connections are opened: null for SSH (and the local transport for this machine). */
    private final Connections.Opener opener;

    public RunOptions() {
        this(null);
    }

    RunOptions(Connections.Opener opener) {
        this.opener = opener;
    }

    @Option(names = "--forks", defaultValue = "20", paramLabel = "N", description = "Hosts worked on at once, at least 1 (default: ${DEFAULT-VALUE}).")
    void forks(int n) {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--forks must be at least 1, got " + n);
        }
        forks = n;
    }

    /** The connection pool of one run. */
    Connections connections() {
        return opener == null ? new Connections(connectOptions()) : new Connections(connectOptions(), opener);
    }

    /**
     * How to connect: the host key policy and keys of the command line, the ssh-agent of
     * {@code SSH_AUTH_SOCK}, and the passphrase of encrypted key files from
     * {@code PIG_SSH_KEY_PASSPHRASE} (an environment variable, so it is on no command line and
     * only the user's own processes and root can read it).
     */
    ConnectOptions connectOptions() {
        String agent = System.getenv("SSH_AUTH_SOCK");
        String passphrase = System.getenv("PIG_SSH_KEY_PASSPHRASE");
        return ConnectOptions.forHome(Path.of(System.getProperty("user.home")), privateKey)
                .withHostKeyPolicy(HostKeyPolicy.parse(hostKeyPolicy))
                .withAgent(agent == null || agent.isBlank() ? null : Path.of(agent))
                .withKeyPassphrase(passphrase == null || passphrase.isEmpty() ? null : new dev.pig.core.model.Secret(passphrase));
    }

    Optional<Path> templateDir() {
        return Optional.ofNullable(templates);
    }

    /** What {@code -l} and {@code -t} select, as data a command narrows further. */
    Selection selection() {
        return Selection.of(limit, tags, Set.of());
    }

    /** Refuses {@code -l} for a command whose arguments say which hosts. */
    void refuseLimit(String why) {
        if (limit != null && !limit.isBlank()) {
            throw new PigException(PigException.Kind.USAGE, why);
        }
    }

    /** Refuses {@code -t} for a command that chooses its own tasks. */
    void refuseTags() {
        if (tags != null && !tags.isBlank()) {
            throw new PigException(PigException.Kind.USAGE, "this command chooses its own tasks; leave -t out");
        }
    }
}
