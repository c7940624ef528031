package dev.pig.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.pig.core.diag.PigException;
import dev.pig.sandbox.system.HostFiles;
import dev.pig.sandbox.system.HostParsers;
import dev.pig.sandbox.system.Procs;
import dev.pig.sandbox.system.Tools;

/**
 * Each node's systemd-nspawn process: booting it in the node's namespace on its disk, finding it
 * again by its recorded PID, stopping it, and waiting until its systemd answers over SSH.
 */
final class NodeProcesses {
    private final SandboxLayout layout;
    private final NodeSsh ssh;
    private final Consumer<String> progress;

    NodeProcesses(SandboxLayout layout, NodeSsh ssh, Consumer<String> progress) {
        this.layout = layout;
        this.ssh = ssh;
        this.progress = progress;
    }

    /** The node's nspawn process, if the recorded PID is alive and still that node's. */
    Optional<Long> runningPid(SandboxHost h) {
        return Procs.recorded(layout.nspawnPid(h), "--directory=" + layout.merged(h));
    }

    /** Boots a node whose disk is mounted and whose namespace is ready, and records its PID. */
    void boot(SandboxHost h) throws IOException {
        List<Path> cgroups = cgroups(h);
        removeCgroups(h);
        for (Path c : cgroups) {
            Files.createDirectories(c);
        }
        // setsid: the node must not get the terminal's Ctrl-C, nor die with this process. sh moves
        // itself into the node's own cgroups, then becomes nspawn: nspawn without a unit of its
        // own places the node's systemd below the cgroup it runs in, and nodes that share one
        // share (and remove) each other's unit cgroups
        ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", "for d in $PIG_NODE_CGROUPS; do "
                + "echo $$ > \"$d/cgroup.procs\" || echo \"pig: cannot move into $d: this node shares its cgroups\" >&2; "
                + "done; exec \"$@\"", "sh", "systemd-nspawn",
                "--quiet",
                "--directory=" + layout.merged(h),
                "--boot",
                "--register=no",
                "--keep-unit",
                "--machine=" + h.name(),
                "--network-namespace-path=/run/netns/" + SandboxNetwork.netns(h),
                // the namespace is the node's own, as a VM's network is: its root may add addresses
                // (keepalived moves a VIP), which nspawn grants only with a network it made itself
                "--capability=CAP_NET_ADMIN",
                // a VM keeps its resolv.conf across boots: nspawn would otherwise copy the host's
                // over it at each boot (a namespace given by path is no --private-network to it),
                // undoing the resolvers NODE writes (node_dns)
                "--resolv-conf=off",
                "--link-journal=no",
                "--console=read-only",
                // words after the options are the node's kernel command line. systemd 256 and later
                // (Debian 13) refuse to boot under cgroup v1, which nspawn gives a node on a host
                // that runs v1 or hybrid; this lets them. Ignored by systemd before 256 and on a
                // cgroup v2 host.
                "SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE=1");
        pb.environment().put("PIG_NODE_CGROUPS", String.join(" ", cgroups.stream().map(Path::toString).toList()));
        Process p = pb
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(layout.console(h).toFile())
                .redirectErrorStream(true)
                .start();
        Files.writeString(layout.nspawnPid(h), p.pid() + "\n");
    }

    /**
     * Stops a node's processes: its nspawn, found by PID or by its disk, and what is left of the
     * container without it.
     */
    void stop(SandboxHost h) {
        List<Long> pids = new ArrayList<>(Procs.find("systemd-nspawn", layout.merged(h).toString()));
        runningPid(h).ifPresent(pids::add);
        Procs.stop(pids);
        Procs.kill(Procs.containerProcesses(layout.node(h) + "/"));
        removeCgroups(h);
    }

    /** The node's own cgroup in each hierarchy its systemd uses: {@code pig/NAME} below the mount. */
    static List<Path> cgroups(SandboxHost h) {
        return pigCgroups().stream().map(p -> p.resolve(h.name())).toList();
    }

    /** {@code pig} below each hierarchy a node's systemd uses; none when the mounts cannot be read. */
    private static List<Path> pigCgroups() {
        try {
            return HostParsers.systemdCgroupMounts(Files.readString(Path.of("/proc/mounts"))).stream().map(m -> Path.of(m, "pig")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Removes the cgroups a node's systemd left below its own, deepest first, once its processes
     * are gone. One that still holds a process stays (its rmdir fails) and is removed next time.
     */
    static void removeCgroups(SandboxHost h) {
        for (Path c : cgroups(h)) {
            removeCgroupTree(c);
        }
    }

    /** Removes the cgroups of every node, the {@code pig} parent included, where no process holds them. */
    static void removeAllCgroups() {
        pigCgroups().forEach(NodeProcesses::removeCgroupTree);
    }

    private static void removeCgroupTree(Path c) {
        if (!Files.isDirectory(c)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(c)) {
            for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(d); // rmdir: a cgroup's own files go with it
                } catch (IOException e) {
                    // busy: a process is still in it
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // gone while walking
        }
    }

    /**
     * Cuts a node's power: every process of it killed at the same moment, nspawn included, so
     * nothing shuts down cleanly and nothing is flushed, as when a machine loses power.
     */
    void powerLoss(SandboxHost h) {
        List<Long> pids = new ArrayList<>(Procs.containerProcesses(layout.node(h) + "/"));
        pids.addAll(Procs.find("systemd-nspawn", layout.merged(h).toString()));
        runningPid(h).ifPresent(pids::add);
        Procs.kill(pids);
    }

    /** The node's process and what its systemd answers over SSH. */
    NodeStatus status(SandboxHost h) {
        Optional<Long> pid = runningPid(h);
        if (pid.isEmpty()) {
            return new NodeStatus(h, pid, Optional.empty());
        }
        Tools.Result r = ssh.run(h, List.of("systemctl", "is-system-running"), 5);
        String answer = r.out().strip();
        boolean answered = r.exit() != 255 && !answer.isEmpty(); // 255: ssh itself failed
        return new NodeStatus(h, pid, answered ? Optional.of(answer) : Optional.empty());
    }

    /**
     * How waiting for one node ended: its status once it answered {@code running} or
     * {@code degraded} over SSH, else why not.
     */
    record Wait(SandboxHost host, NodeStatus status, String failure) {
    }

    /** Waits for a node that was just booted; fails with its console's tail if it does not come up. */
    NodeStatus await(SandboxHost h, Duration timeout) {
        Wait w = waitUntilUp(h, timeout);
        if (w.status() == null) {
            throw new PigException(PigException.Kind.FAILED, "node " + h.name() + " (" + h.ip() + ") " + w.failure()
                    + ". Tail of " + layout.console(h) + ":\n" + HostFiles.tailOf(layout.console(h)));
        }
        return w.status();
    }

    Wait waitUntilUp(SandboxHost h, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            Optional<Long> pid = runningPid(h);
            if (pid.isEmpty()) {
                return new Wait(h, null, "stopped: its systemd-nspawn process is gone");
            }
            Tools.Result r = ssh.run(h, List.of("systemctl", "is-system-running"), 5);
            String answer = r.out().strip();
            if (answer.equals("running") || answer.equals("degraded")) {
                if (answer.equals("degraded")) {
                    Tools.Result failed = ssh.run(h, List.of("systemctl", "list-units", "--state=failed", "--plain", "--no-legend",
                            "--no-pager"), 5);
                    String units = failed.out().lines().map(l -> l.strip().split("\\s+")[0]).filter(u -> !u.isEmpty())
                            .reduce((a, b) -> a + ", " + b).orElse("none listed");
                    progress.accept("node " + h.name() + " is up but degraded (failed: " + units + "): see `pig sandbox ssh "
                            + h.name() + " -- journalctl -b -u UNIT`");
                }
                return new Wait(h, new NodeStatus(h, pid, Optional.of(answer)), null);
            }
            last = !answer.isEmpty() ? answer : r.err().isBlank() ? "no answer" : r.err().strip();
            if (System.nanoTime() > deadline) {
                return new Wait(h, null, "did not answer over SSH as running within " + timeout.toSeconds()
                        + " s (last answer: " + last + ")");
            }
            Tools.sleep(500);
        }
    }
}
