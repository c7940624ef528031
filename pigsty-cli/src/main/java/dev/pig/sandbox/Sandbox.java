package dev.pig.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Parallel;
import dev.pig.sandbox.image.AptSources;
import dev.pig.sandbox.image.BaseImage;
import dev.pig.sandbox.image.ImageCache;
import dev.pig.sandbox.system.HostCheck;
import dev.pig.sandbox.system.HostFiles;
import dev.pig.sandbox.system.Procs;
import dev.pig.sandbox.system.Tools;

/**
 * The sandbox on this host: brings nodes up, reports on them, runs commands on them and removes
 * everything again. Every operation is safe to repeat; {@link #up} leaves healthy nodes alone and
 * {@link #down} also finds what a killed {@code up} left behind, by name, mount point and command
 * line, not only by what it recorded. This class is the order of things; each piece (network,
 * disks, proxy, processes, keys) is a class of its own beside it.
 *
 * <p>The nodes are the hosts of an inventory such as:
 *
 * <pre>
 * all:
 *   children:
 *     pg-test:
 *       hosts: { 10.10.10.11: { pg_seq: 1 }, 10.10.10.12: { pg_seq: 2 } }
 *       vars: { pg_cluster: pg-test }
 * </pre>
 */
public final class Sandbox {
    /** Tools every {@code up} runs. */
    public static final List<String> UP_TOOLS = List.of("debootstrap", "systemd-nspawn", "tinyproxy", "ip",
            "ssh", "ssh-keygen", "mount", "umount", "setsid");
    /** Tools {@code down} runs. */
    public static final List<String> DOWN_TOOLS = List.of("ip", "umount");

    /**
     * How long {@code up} waits for a node that is already running to answer before it restarts
     * it. A running node answers within a second; this only covers one that is still booting.
     */
    public static final Duration RECHECK_TIMEOUT = Duration.ofSeconds(20);

    private final SandboxLayout layout;
    private final Consumer<String> progress;
    private final HostCheck host;
    private final ImageCache images;
    private final SandboxKeys keys;
    private final NodeDisk disks;
    private final PackageProxy proxy;
    private final NodeSsh ssh;
    private final NodeProcesses processes;

    /** The sandbox of this machine. */
    public Sandbox(SandboxLayout layout, Consumer<String> progress) {
        this(layout, progress, HostCheck.ofThisMachine());
    }

    /** The sandbox, with the host check to run before every command. */
    public Sandbox(SandboxLayout layout, Consumer<String> progress, HostCheck host) {
        this.layout = layout;
        this.progress = progress;
        this.host = host;
        this.images = new ImageCache(layout.cache(), AptSources.ofHost(Path.of("/etc/apt")));
        this.keys = new SandboxKeys(layout);
        this.disks = new NodeDisk(layout, keys);
        this.proxy = new PackageProxy(layout.proxyDir());
        this.ssh = new NodeSsh(layout);
        this.processes = new NodeProcesses(layout, ssh, progress);
    }

    public SandboxLayout layout() {
        return layout;
    }

    /**
     * Installs the packages of the tools {@code up} needs and this machine lacks, with
     * {@link HostCheck#installSteps}, attached to this terminal.
     *
     * @return the commands that ran; empty when everything was installed
     */
    public List<List<String>> installDeps() {
        List<List<String>> steps = host.installSteps(UP_TOOLS);
        for (List<String> step : steps) {
            progress.accept("running: " + String.join(" ", step));
            int code = Tools.interactive(step, Map.of("DEBIAN_FRONTEND", "noninteractive"));
            if (code != 0) {
                throw new PigException(PigException.Kind.FAILED, "`" + String.join(" ", step) + "` failed (exit "
                        + code + "); fix what apt-get printed above, then run pig sandbox up again");
            }
        }
        if (steps.stream().anyMatch(s -> s.contains("tinyproxy")) && host.installed().test("systemctl")) {
            // Debian starts its own tinyproxy on every address's port 8888, the port the nodes' proxy
            // needs on the bridge; the sandbox runs its own, so the system one goes
            Tools.run(List.of("systemctl", "disable", "--now", "tinyproxy.service"));
        }
        return steps;
    }

    /**
     * What {@code up} did.
     *
     * @param nodes   every node, as it is now
     * @param changes what was changed, in order; empty when everything was already up
     * @param elapsed how long it took
     */
    public record UpReport(List<NodeStatus> nodes, List<String> changes, Duration elapsed) {
    }

    // ---------------------------------------------------------------------------------------- up

    /**
     * Brings every host up as a node. Nodes already up are left as they are once they answer over
     * SSH (within {@link #RECHECK_TIMEOUT}, after their veth is put back on the bridge if it fell
     * off); a node that does not answer is restarted.
     */
    @SuppressWarnings("try") // the lock is held, not used
    public UpReport up(List<SandboxHost> hosts, Duration bootTimeout) {
        long t0 = System.nanoTime();
        SandboxNetwork net = SandboxNetwork.plan(hosts); // input problems first, host problems next
        releases(hosts).forEach(images::image);
        host.require(UP_TOOLS);
        try (SandboxLock lock = SandboxLock.acquire(layout.state())) {
            List<String> changes = new ArrayList<>();
            keys.ensureLoginKey(changes);
            Map<String, BaseImage> imageOf = new LinkedHashMap<>();
            for (String release : releases(hosts)) {
                BaseImage image = images.image(release);
                boolean existed = image.exists();
                image.ensure(progress);
                if (!existed) {
                    changes.add("built base image " + image.key());
                }
                imageOf.put(release, image);
            }
            NodeNetwork.ensureBridge(net, changes);
            proxy.ensure(net, changes);

            // a node whose process, namespace, mount and veth are there may still be unusable: its
            // veth off a bridge that was deleted and made again, its sshd dead. Put it back on the
            // bridge, then give it a short while to answer; one that does not is restarted.
            Map<SandboxHost, String> restart = new LinkedHashMap<>();
            List<SandboxHost> seemUp = new ArrayList<>();
            for (SandboxHost h : hosts) {
                if (processes.runningPid(h).isPresent() && NodeNetwork.namespaceExists(h)
                        && HostFiles.mounted(layout.merged(h))) {
                    if (NodeNetwork.vethExists(h)) {
                        NodeNetwork.attachToBridge(h, changes);
                        seemUp.add(h);
                    } else {
                        restart.put(h, "its veth " + SandboxNetwork.hostVeth(h) + " was gone");
                    }
                }
            }
            Map<SandboxHost, NodeStatus> answered = new LinkedHashMap<>();
            for (NodeProcesses.Wait w : parallel(seemUp, h -> processes.waitUntilUp(h, RECHECK_TIMEOUT))) {
                if (w.status() != null) {
                    answered.put(w.host(), w.status());
                } else {
                    restart.put(w.host(), w.failure());
                }
            }

            List<SandboxHost> started = new ArrayList<>();
            for (SandboxHost h : hosts) {
                if (answered.containsKey(h)) {
                    continue;
                }
                String why = restart.get(h);
                progress.accept((why == null ? "starting " : "restarting ") + h.name() + " (" + h.ip() + ")"
                        + (why == null ? "" : ": " + why));
                removeNode(h);
                disks.prepare(h, net, imageOf.get(h.release()), changes);
                NodeNetwork.create(h, net);
                processes.boot(h);
                changes.add((why == null ? "started " : "restarted ") + h.name() + " (" + h.ip() + ")"
                        + (why == null ? "" : ": " + why));
                started.add(h);
            }
            keys.writeKnownHosts(hosts);
            List<NodeStatus> nodes;
            try {
                nodes = parallel(hosts, h -> started.contains(h) ? processes.await(h, bootTimeout) : answered.get(h));
            } catch (PigException e) {
                throw new PigException(e.kind(), e.getMessage()
                        + "\nThe other nodes were left running; `pig sandbox down` removes everything.", e);
            }
            return new UpReport(nodes, changes, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "sandbox up failed: " + e.getMessage(), e);
        }
    }

    /** The releases of the hosts, each once, in the order of the first host of each. */
    static List<String> releases(List<SandboxHost> hosts) {
        return hosts.stream().map(SandboxHost::release).distinct().toList();
    }

    /** Removes whatever is left of a node that is not running: process, mount, netns, veth. */
    private void removeNode(SandboxHost h) {
        processes.stop(h);
        HostFiles.unmountUnder(layout.node(h));
        NodeNetwork.remove(h);
    }

    /**
     * Takes the nodes down and gives them fresh disks (the base image as built), keeping their
     * host keys and machine ids: what the end-to-end tests start from, and {@code up --fresh}.
     */
    public List<String> resetDisks(List<SandboxHost> hosts) {
        List<String> done = new ArrayList<>(down(hosts, false));
        for (SandboxHost h : hosts) {
            if (disks.reset(h)) {
                done.add("reset the disk of " + h.name());
            }
        }
        return done;
    }

    /**
     * Takes the nodes down and keeps a copy of their disks under {@code name}, so a state that
     * took minutes to reach (a converged deployment) can be had again in seconds. The nodes stay
     * down; {@link #up} boots them again.
     */
    public List<String> snapshot(List<SandboxHost> hosts, String name) {
        List<String> done = new ArrayList<>(down(hosts, false));
        for (SandboxHost h : hosts) {
            disks.snapshot(h, name);
        }
        done.add("kept the disks of " + hosts.size() + " node(s) as " + name);
        return done;
    }

    /**
     * Takes the nodes down and gives them the disks kept under {@code name}; false, with the
     * nodes down and their disks as they were, when any node has no such copy.
     */
    public boolean restore(List<SandboxHost> hosts, String name) {
        down(hosts, false);
        if (hosts.stream().anyMatch(h -> !Files.isDirectory(disks.snapshotDir(h, name).resolve("upper")))) {
            return false;
        }
        for (SandboxHost h : hosts) {
            disks.restore(h, name);
        }
        return true;
    }

    /**
     * Powers one node off, keeping its disk, network namespace and address, as a VM that is shut
     * down: cleanly (systemd inside stops every service) or, with {@code powerLoss}, every process
     * killed at once and its link cut, so the others see it vanish rather than refuse. {@link #up}
     * boots it again with its disk as it was.
     */
    @SuppressWarnings("try") // the lock is held, not used
    public String stop(SandboxHost h, boolean powerLoss) {
        try (SandboxLock lock = SandboxLock.acquire(layout.state())) {
            if (processes.runningPid(h).isEmpty() && Procs.containerProcesses(layout.node(h) + "/").isEmpty()) {
                return h.name() + " was not running";
            }
            if (powerLoss) {
                NodeNetwork.cut(h);
                processes.powerLoss(h);
                return h.name() + " lost power: every process killed, its link cut";
            }
            processes.stop(h);
            return h.name() + " was shut down";
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "sandbox stop failed: " + e.getMessage(), e);
        }
    }

    /**
     * Takes a running node off the network or puts it back, as a pulled and replugged cable: it
     * keeps running, and sees no other node while its link is down.
     */
    public String link(SandboxHost h, boolean up) {
        if (up) {
            List<String> changes = new ArrayList<>();
            NodeNetwork.attachToBridge(h, changes);
            return changes.isEmpty() ? h.name() + " was on the network" : h.name() + " is on the network again";
        }
        NodeNetwork.cut(h);
        return h.name() + " is off the network";
    }

    /**
     * Takes the nodes down and deletes everything that is theirs alone: disks and their copies,
     * host keys, machine ids, console logs and their lines in pig's known_hosts. Other nodes' files
     * and the cached images stay; the next {@link #up} of these hosts starts as on a new machine.
     */
    @SuppressWarnings("try") // the lock is held, not used
    public List<String> forget(List<SandboxHost> hosts) {
        List<String> done = new ArrayList<>(down(hosts, false));
        try (SandboxLock lock = SandboxLock.acquire(layout.state())) {
            List<String> mounts = HostFiles.mountPoints();
            for (SandboxHost h : hosts) {
                Path dir = layout.node(h);
                if (mounts.stream().anyMatch(m -> m.startsWith(dir + "/"))) {
                    throw new PigException(PigException.Kind.FAILED, "the disk of " + h.name() + " is still mounted; not deleting "
                            + dir + ". See: grep " + dir + " /proc/mounts");
                }
                if (Files.exists(dir)) {
                    HostFiles.removeTree(dir);
                    done.add("deleted the files of " + h.name() + " in " + dir);
                }
            }
            keys.forget(hosts, done);
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "sandbox forget failed: " + e.getMessage(), e);
        }
        return done;
    }

    /** Deletes the copies of the nodes' disks kept under {@code name}. */
    public void dropSnapshot(List<SandboxHost> hosts, String name) {
        for (SandboxHost h : hosts) {
            HostFiles.removeTree(disks.snapshotDir(h, name));
        }
    }

    // -------------------------------------------------------------------------------------- down

    /**
     * Stops every node and removes the network and the proxy; with {@code purge}, also the node
     * disks, the cached image and the nodes' known_hosts entries. Finds leftovers of the given
     * hosts and of any other node the sandbox made.
     *
     * @return what was done, in order; empty when nothing was there
     */
    @SuppressWarnings("try") // the lock is held, not used
    public List<String> down(List<SandboxHost> hosts, boolean purge) {
        host.require(DOWN_TOOLS);
        List<String> done = new ArrayList<>();
        try (SandboxLock lock = SandboxLock.acquire(layout.state())) {
            List<SandboxHost> all = new ArrayList<>(hosts);
            for (SandboxHost h : nodeDirs()) {
                if (all.stream().noneMatch(x -> x.ip().equals(h.ip()))) {
                    all.add(h);
                }
            }
            List<Long> pids = new ArrayList<>(Procs.find("systemd-nspawn", layout.nodes() + "/"));
            for (SandboxHost h : all) {
                processes.runningPid(h).filter(p -> !pids.contains(p)).ifPresent(pids::add);
            }
            if (!pids.isEmpty()) {
                progress.accept("stopping " + pids.size() + " node" + (pids.size() == 1 ? "" : "s"));
                Procs.stop(pids);
                done.add("stopped " + pids.size() + " node" + (pids.size() == 1 ? "" : "s"));
            }
            List<Long> orphans = Procs.containerProcesses(layout.nodes() + "/");
            if (!orphans.isEmpty()) {
                Procs.kill(orphans);
                done.add("killed " + orphans.size() + " container process" + (orphans.size() == 1 ? "" : "es")
                        + " left without their systemd-nspawn");
            }
            NodeProcesses.removeAllCgroups();
            // a killed up may have left debootstrap running, with /proc and /sys mounted in its target
            if (images.stopBuilds()) {
                done.add("stopped an unfinished base image build");
            }
            if (HostFiles.unmountUnder(layout.cache()) > 0) {
                done.add("unmounted what the unfinished image build had mounted");
            }
            int unmounted = HostFiles.unmountUnder(layout.state());
            if (unmounted > 0) {
                done.add("unmounted " + unmounted + " node disk" + (unmounted == 1 ? "" : "s"));
            }
            NodeNetwork.removeAll(done);
            if (proxy.stop()) {
                done.add("stopped package proxy");
            }
            for (SandboxHost h : all) {
                Files.deleteIfExists(layout.nspawnPid(h));
            }
            if (purge) {
                purge(all, done);
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "sandbox down failed: " + e.getMessage(), e);
        }
        return done;
    }

    /** What {@code down --purge} removes once everything is stopped: disks, proxy files, images, known_hosts lines. */
    private void purge(List<SandboxHost> all, List<String> done) throws IOException {
        if (Files.isDirectory(layout.nodes())) {
            if (!HostFiles.mountPoints().stream().filter(m -> m.startsWith(layout.state() + "/")).toList().isEmpty()) {
                throw new PigException(PigException.Kind.FAILED, "a node disk under " + layout.nodes()
                        + " is still mounted; not deleting node disks. See: grep " + layout.state() + " /proc/mounts");
            }
            HostFiles.removeTree(layout.nodes());
            done.add("deleted node disks in " + layout.nodes());
        }
        if (Files.isDirectory(layout.proxyDir())) {
            HostFiles.removeTree(layout.proxyDir());
        }
        if (Files.exists(layout.cache())) {
            images.purge();
            done.add("deleted cached images in " + layout.cache());
        }
        keys.forget(all, done);
    }

    /** Nodes that have a directory, even if the inventory no longer lists them. */
    private List<SandboxHost> nodeDirs() throws IOException {
        if (!Files.isDirectory(layout.nodes())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout.nodes())) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
                    .sorted()
                    .map(ip -> new SandboxHost(ip.replace('.', '-'), ip))
                    .toList();
        }
    }

    // ------------------------------------------------------------------------ status, ssh, exec

    /** The state of each node: its process and whether it answers over SSH. */
    public List<NodeStatus> status(List<SandboxHost> hosts) {
        host.require(List.of("ssh"));
        return parallel(hosts, processes::status);
    }

    /** The node with this hostname or address. */
    public static SandboxHost find(List<SandboxHost> hosts, String nameOrIp) {
        return hosts.stream().filter(h -> h.name().equals(nameOrIp) || h.ip().equals(nameOrIp)).findFirst()
                .orElseThrow(() -> new PigException(PigException.Kind.USAGE, "no sandbox node '" + nameOrIp
                        + "'; the nodes are: " + String.join(", ", hosts.stream().map(h -> h.name() + " (" + h.ip() + ")").toList())));
    }

    /** The system ssh client's command line that logs in to a node with the sandbox key. */
    public List<String> sshCommand(SandboxHost h, List<String> command, boolean batch) {
        return ssh.command(h, command, batch);
    }

    /** Runs a command on a node and captures its output. */
    public Tools.Result ssh(SandboxHost h, List<String> command, long timeoutSeconds) {
        return ssh.run(h, command, timeoutSeconds);
    }

    /**
     * Runs a command on a node attached to this terminal (an interactive shell if the command is
     * empty) and returns its exit code.
     */
    public int sshInteractive(SandboxHost h, List<String> command) {
        host.require(List.of("ssh"));
        if (!Files.isRegularFile(layout.key())) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "there is no sandbox key at " + layout.key()
                    + "; run pig sandbox up first");
        }
        return Tools.interactive(ssh.command(h, command, false));
    }

    /** A node's result, or why it has none. */
    private record Outcome<T>(T value, String failure) {
    }

    /**
     * Runs {@code f} for every node at once and waits for all of them, so a failure names every
     * node that failed, not only the first.
     */
    static <T> List<T> parallel(List<SandboxHost> hosts, Function<SandboxHost, T> f) {
        List<Outcome<T>> outcomes = Parallel.map(hosts, hosts.size(), h -> {
            try {
                return new Outcome<>(f.apply(h), null);
            } catch (PigException e) {
                return new Outcome<>(null, e.getMessage());
            }
        });
        List<String> failures = outcomes.stream().map(Outcome::failure).filter(Objects::nonNull).toList();
        if (!failures.isEmpty()) {
            throw new PigException(PigException.Kind.FAILED, String.join("\n", failures));
        }
        return outcomes.stream().map(Outcome::value).toList();
    }
}
