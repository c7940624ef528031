package dev.pig.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.pig.core.ssh.ConnectOptions;
import dev.pig.core.ssh.HostKeyPolicy;
import picocli.CommandLine.Option;

/** Options of every command that reaches hosts: which hosts and tasks, and how to connect. */
public final class RunOptions {
    @Option(names = {"-l", "--limit"}, paramLabel = "HOSTS",
            description = "Only these hosts: IPs, host names, groups or clusters, comma-separated.")
    String limit;

    @Option(names = {"-t", "--tags"}, paramLabel = "TAGS",
            description = "Only tasks with these Pigsty tags (or whole modules: node, etcd ...), comma-separated.")
    String tags;

    @Option(names = "--forks", defaultValue = "20", description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--private-key", paramLabel = "FILE", description = "SSH key for hosts whose inventory entry names none.")
    Path privateKey;

    @Option(names = "--host-key-policy", defaultValue = "accept-new", paramLabel = "POLICY",
            description = "Unknown host keys: accept-new (record on first contact), strict or off (default: ${DEFAULT-VALUE}).")
    String hostKeyPolicy;

    @Option(names = "--templates", paramLabel = "DIR", description = "Templates here override the built-in ones by relative path.")
    Path templates;

    ConnectOptions connectOptions() {
        return ConnectOptions.forHome(Path.of(System.getProperty("user.home")), privateKey)
                .withHostKeyPolicy(HostKeyPolicy.parse(hostKeyPolicy));
    }

    Optional<Path> templateDir() {
        return Optional.ofNullable(templates);
    }
}
