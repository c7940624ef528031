package dev.pig.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import dev.pig.sandbox.NodeStatus;
import dev.pig.sandbox.Sandbox;
import dev.pig.sandbox.SandboxHost;
import dev.pig.sandbox.SandboxHosts;
import dev.pig.sandbox.SandboxLayout;
import dev.pig.sandbox.system.HostCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pig sandbox}: real Debian nodes on this machine, one per inventory host, for trying pig. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Run the inventory's hosts as local Debian nodes (systemd-nspawn, one network",
                "namespace each, on bridge pig-br0). Needs root and Linux."},
        subcommands = {
                SandboxCommand.Up.class,
                SandboxCommand.Down.class,
                SandboxCommand.Status.class,
                SandboxCommand.Ssh.class,
                SandboxCommand.Stop.class,
                SandboxCommand.Start.class,
                SandboxCommand.Link.class,
        })
public final class SandboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }

    /** The inventory option every sandbox verb shares. */
    static final class InventoryOption {
        @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", defaultValue = "inventory-examples/sandbox.yml",
                description = "Inventory whose hosts become nodes (default: ${DEFAULT-VALUE}).")
        Path inventory;

        List<SandboxHost> hosts() {
            return SandboxHosts.fromInventory(inventory);
        }
    }

    /**
     * What the sandbox commands check this machine with before touching it; the CLI tests put a
     * made-up machine here to see each refusal without needing one.
     */
    static Supplier<HostCheck> hostCheck = HostCheck::ofThisMachine;

    static Sandbox sandbox(CommandSpec spec) {
        var out = spec.commandLine().getOut();
        return new Sandbox(SandboxLayout.defaults(), line -> {
            out.println(line);
            out.flush();
        }, hostCheck.get());
    }

    static void printTable(java.io.PrintWriter out, List<NodeStatus> nodes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "IP", "RELEASE", "PID", "PROCESS", "SSH", "STATE"});
        for (NodeStatus n : nodes) {
            rows.add(new String[] {n.host().name(), n.host().ip(), n.host().release(),
                    n.pid().map(String::valueOf).orElse("-"),
                    n.running() ? "running" : "stopped",
                    n.sshOk() ? "ok" : "-",
                    n.state().orElse("-")});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Build or reuse the base image and boot every node; a no-op when all are up.")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOption inv;

        @Option(names = "--install-deps", description = "First install the host packages the sandbox needs (apt-get).")
        boolean installDeps;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
                description = "How long each node may take to boot (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Option(names = "--fresh", description = "Start the nodes from fresh disks (the base image as built).")
        boolean fresh;

        @Override
        public Integer call() {
            List<SandboxHost> hosts = inv.hosts();
            if (installDeps && sandbox(spec).installDeps().isEmpty()) {
                spec.commandLine().getOut().println("The sandbox's host packages are installed; nothing to install.");
            }
            if (fresh) {
                sandbox(spec).resetDisks(hosts).forEach(c -> spec.commandLine().getOut().println("  - " + c));
            }
            Sandbox.UpReport r = sandbox(spec).up(hosts, Duration.ofSeconds(timeoutSeconds));
            var out = spec.commandLine().getOut();
            if (r.changes().isEmpty()) {
                out.println("All " + hosts.size() + " nodes were already up; nothing changed.");
            } else {
                out.printf("Sandbox up in %.1f s:%n", r.elapsed().toMillis() / 1000.0);
                r.changes().forEach(c -> out.println("  + " + c));
            }
            out.println();
            printTable(out, r.nodes());
            out.println();
            SandboxHost first = hosts.get(0);
            out.println("Reach a node with:  pig sandbox ssh " + first.name() + "   (or: ssh -i "
                    + SandboxLayout.defaults().key() + " root@" + first.ip() + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every node and remove the network and proxy; leaves nothing running.")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOption inv;

        @Option(names = "--purge", description = "Also delete node disks, the cached base image and the nodes' known_hosts entries.")
        boolean purge;

        @Override
        public Integer call() {
            // a missing or broken inventory must not stop a clean-up: leftovers are found by name too
            List<SandboxHost> hosts;
            try {
                hosts = inv.hosts();
            } catch (dev.pig.core.diag.PigException e) {
                spec.commandLine().getErr().println("Warning: " + e.getMessage() + "; removing whatever the sandbox left");
                hosts = List.of();
            }
            List<String> done = sandbox(spec).down(hosts, purge);
            var out = spec.commandLine().getOut();
            if (done.isEmpty()) {
                out.println("Nothing of the sandbox was running; nothing changed.");
            } else {
                out.println("Sandbox down:");
                done.forEach(d -> out.println("  - " + d));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each node's process and whether it answers over SSH.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOption inv;

        @Override
        public Integer call() {
            printTable(spec.commandLine().getOut(), sandbox(spec).status(inv.hosts()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "ssh", mixinStandardHelpOptions = true,
            description = {"Log in to a node, or run a command on it and return its exit code:",
            "  pig sandbox ssh pg-test-1 -- systemctl status ssh"})
    static final class Ssh implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOption inv;

        @Parameters(index = "0", paramLabel = "NODE", description = "The node's hostname or IP address.")
        String node;

        @Parameters(index = "1..*", paramLabel = "CMD", description = "Command to run (after --); none for a shell.")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            List<SandboxHost> hosts = inv.hosts();
            SandboxHost h = Sandbox.find(hosts, node);
            spec.commandLine().getOut().flush();
            return sandbox(spec).sshInteractive(h, command);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Power a node off; its disk stays as it is, and 'pig sandbox start' boots it again:",
                    "  pig sandbox stop pg-test-1 --power-loss   # every process killed at once, its link cut"})
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOption inv;

        @Parameters(index = "0", paramLabel = "NODE", description = "The node's hostname or IP address.")
        String node;

        @Option(names = "--power-loss", description = "Kill every process of the node at once and cut its link, instead of a clean shutdown.")
        boolean powerLoss;

        @Override
        public Integer call() {
            SandboxHost h = Sandbox.find(inv.hosts(), node);
            spec.commandLine().getOut().println(sandbox(spec).stop(h, powerLoss));
            return ExitCodes.OK;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Boot a stopped node again on its disk, as a rebooted machine.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOption inv;

        @Parameters(index = "0", paramLabel = "NODE", description = "The node's hostname or IP address.")
        String node;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
                description = "How long the node may take to boot (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() {
            SandboxHost h = Sandbox.find(inv.hosts(), node);
            Sandbox.UpReport r = sandbox(spec).up(List.of(h), Duration.ofSeconds(timeoutSeconds));
            printTable(spec.commandLine().getOut(), r.nodes());
            return ExitCodes.OK;
        }
    }

    @Command(name = "link", mixinStandardHelpOptions = true,
            description = {"Take a running node off the network or put it back, as a pulled cable:",
                    "  pig sandbox link pg-test-1 down"})
    static final class Link implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOption inv;

        @Parameters(index = "0", paramLabel = "NODE", description = "The node's hostname or IP address.")
        String node;

        @Parameters(index = "1", paramLabel = "up|down", description = "up or down.")
        String state;

        @Override
        public Integer call() {
            if (!state.equals("up") && !state.equals("down")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "the link is up or down, not " + state);
            }
            SandboxHost h = Sandbox.find(inv.hosts(), node);
            spec.commandLine().getOut().println(sandbox(spec).link(h, state.equals("up")));
            return ExitCodes.OK;
        }
    }
}
