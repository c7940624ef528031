package dev.pig.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.pig.core.diag.PigException;

/**
 * The sandbox on this host: brings nodes up, reports on them, runs commands on them and removes
 * everything again. Every operation is safe to repeat; {@link #up} leaves healthy nodes alone and
 * {@link #down} also finds what a killed {@code up} left behind, by name, mount point and command
 * line, not only by what it recorded.
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

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long {@code up} waits for a node that is already running to answer before it restarts
     * it. A running node answers within a second; this only covers one that is still booting.
     */
    public static final Duration RECHECK_TIMEOUT = Duration.ofSeconds(20);

    private final SandboxLayout layout;
    private final Consumer<String> progress;
    private final HostCheck host;
    private final BaseImage image;

    /** The sandbox of this machine. */
    public Sandbox(SandboxLayout layout, Consumer<String> progress) {
        this(layout, progress, HostCheck.ofThisMachine());
    }

    /** The sandbox, with the host check to run before every command. */
    public Sandbox(SandboxLayout layout, Consumer<String> progress, HostCheck host) {
        this.layout = layout;
        this.progress = progress;
        this.host = host;
        this.image = new BaseImage(layout.cache(), AptSources.ofHost(Path.of("/etc/apt")));
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
        host.require(UP_TOOLS);
        try (Lock lock = lock()) {
            List<String> changes = new ArrayList<>();
            ensureKey(changes);
            boolean imageExisted = image.exists();
            Path rootfs = image.ensure(progress);
            if (!imageExisted) {
                changes.add("built base image " + image.key());
            }
            ensureBridge(net, changes);
            ensureProxy(net, changes);

            // a node whose process, namespace, mount and veth are there may still be unusable: its
            // veth off a bridge that was deleted and made again, its sshd dead. Put it back on the
            // bridge, then give it a short while to answer; one that does not is restarted.
            Map<SandboxHost, String> restart = new LinkedHashMap<>();
            List<SandboxHost> seemUp = new ArrayList<>();
            for (SandboxHost h : hosts) {
                if (runningPid(h).isPresent() && netnsExists(h) && mounted(merged(h))) {
                    if (linkExists(SandboxNetwork.hostVeth(h))) {
                        attachToBridge(h, changes);
                        seemUp.add(h);
                    } else {
                        restart.put(h, "its veth " + SandboxNetwork.hostVeth(h) + " was gone");
                    }
                }
            }
            Map<SandboxHost, NodeStatus> answered = new LinkedHashMap<>();
            List<Wait> waits = parallel(seemUp, h -> waitUntilUp(h, RECHECK_TIMEOUT));
            for (Wait w : waits) {
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
                cleanNode(h);
                prepareDisk(h, net, rootfs, changes);
                prepareNetwork(h, net);
                boot(h);
                changes.add((why == null ? "started " : "restarted ") + h.name() + " (" + h.ip() + ")"
                        + (why == null ? "" : ": " + why));
                started.add(h);
            }
            writeKnownHosts(hosts);
            List<NodeStatus> nodes;
            try {
                nodes = parallel(hosts, h -> started.contains(h) ? awaitNode(h, bootTimeout) : answered.get(h));
            } catch (PigException e) {
                throw new PigException(e.kind(), e.getMessage()
                        + "\nThe other nodes were left running; `pig sandbox down` removes everything.", e);
            }
            return new UpReport(nodes, changes, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "sandbox up failed: " + e.getMessage(), e);
        }
    }

    private void ensureKey(List<String> changes) throws IOException {
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

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private void ensureBridge(SandboxNetwork net, List<String> changes) {
        String br = SandboxNetwork.BRIDGE;
        if (!linkExists(br)) {
            Tools.check(List.of("ip", "link", "add", br, "type", "bridge"));
            changes.add("created bridge " + br);
        }
        String addrs = Tools.check(List.of("ip", "-4", "-o", "addr", "show", "dev", br)).out();
        if (!addrs.contains(" " + net.bridgeIp() + "/24 ")) {
            Tools.check(List.of("ip", "addr", "add", net.bridgeIp() + "/24", "dev", br));
            changes.add("gave " + br + " address " + net.bridgeIp() + "/24");
        }
        Tools.check(List.of("ip", "link", "set", br, "up"));
    }

    private void ensureProxy(SandboxNetwork net, List<String> changes) throws IOException {
        Path dir = layout.proxyDir();
        Files.createDirectories(dir);
        Path conf = dir.resolve("tinyproxy.conf");
        String text = "# written by pig sandbox: the nodes' only way to the package archive\n"
                + "Port " + SandboxNetwork.PROXY_PORT + "\n"
                + "Listen " + net.bridgeIp() + "\n"
                + "Timeout 600\n"
                + "MaxClients 100\n"
                + "Allow " + net.cidr() + "\n"
                + "DisableViaHeader Yes\n"
                + "LogFile \"" + dir.resolve("tinyproxy.log") + "\"\n"
                + "LogLevel Notice\n";
        Optional<Long> pid = Procs.recorded(dir.resolve("tinyproxy.pid"), conf.toString());
        boolean same = Files.isRegularFile(conf) && Files.readString(conf).equals(text);
        if (pid.isPresent() && same && portOpen(net.bridgeIp(), SandboxNetwork.PROXY_PORT)) {
            return;
        }
        stopProxy();
        if (portOpen(net.bridgeIp(), SandboxNetwork.PROXY_PORT)) {
            // ours is stopped, so another program answers there, and the nodes would get its replies
            throw new PigException(PigException.Kind.UNAVAILABLE, "port " + SandboxNetwork.PROXY_PORT + " on "
                    + net.bridgeIp() + ", where the nodes' package proxy must listen, is taken by another program"
                    + " (the system's tinyproxy, most often: systemctl disable --now tinyproxy). Find it with: ss -ltnp"
                    + " 'sport = :" + SandboxNetwork.PROXY_PORT + "'");
        }
        Files.writeString(conf, text);
        Process p = new ProcessBuilder("setsid", "tinyproxy", "-d", "-c", conf.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("tinyproxy.out").toFile())
                .redirectErrorStream(true)
                .start();
        Files.writeString(dir.resolve("tinyproxy.pid"), p.pid() + "\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!portOpen(net.bridgeIp(), SandboxNetwork.PROXY_PORT)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new PigException(PigException.Kind.FAILED, "the package proxy (tinyproxy) did not start on "
                        + net.bridgeIp() + ":" + SandboxNetwork.PROXY_PORT + "; is another proxy using port "
                        + SandboxNetwork.PROXY_PORT + "? (Debian's own: systemctl disable --now tinyproxy)\n"
                        + tailOf(dir.resolve("tinyproxy.out")) + "\n" + tailOf(dir.resolve("tinyproxy.log")));
            }
            sleep(100);
        }
        changes.add("started package proxy on " + net.proxyUrl());
    }

    private static boolean portOpen(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes whatever is left of a node that is not running: process, mount, netns, veth. */
    private void cleanNode(SandboxHost h) {
        List<Long> pids = new ArrayList<>(Procs.find("systemd-nspawn", merged(h).toString()));
        runningPid(h).ifPresent(pids::add);
        stopAll(pids);
        killAll(Procs.containerProcesses(layout.node(h) + "/"));
        unmountUnder(layout.node(h));
        deleteNetns(SandboxNetwork.netns(h));
        for (String link : List.of(SandboxNetwork.hostVeth(h), SandboxNetwork.peerVeth(h))) {
            deleteLink(link);
        }
    }

    private void prepareDisk(SandboxHost h, SandboxNetwork net, Path rootfs, List<String> changes) throws IOException {
        Path dir = layout.node(h);
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        Files.createDirectories(dir);
        Path imageFile = dir.resolve("image");
        if (Files.isDirectory(upper) && !(Files.isRegularFile(imageFile)
                && Files.readString(imageFile).strip().equals(image.key()))) {
            // the disk was made over another base image: its changes do not apply to this one
            BaseImage.removeTree(upper);
            BaseImage.removeTree(work);
            changes.add("reset the disk of " + h.name() + " (new base image)");
        }
        Files.createDirectories(upper);
        Files.createDirectories(work);
        Files.createDirectories(merged(h));
        Files.writeString(imageFile, image.key() + "\n");
        Tools.check(List.of("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + rootfs + ",upperdir=" + upper + ",workdir=" + work, merged(h).toString()));

        Path root = merged(h);
        // host keys: made once per node and kept beside its disk, so they survive a disk reset
        Path keys = dir.resolve("ssh");
        Files.createDirectories(keys);
        Path hostKey = keys.resolve("ssh_host_ed25519_key");
        if (!Files.isRegularFile(hostKey) || !Files.isRegularFile(pub(hostKey))) {
            Files.deleteIfExists(hostKey);
            Files.deleteIfExists(pub(hostKey));
            Tools.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@" + h.name(),
                    "-f", hostKey.toString()));
        }
        writeFile(root.resolve("etc/ssh/ssh_host_ed25519_key"), Files.readString(hostKey), "rw-------");
        writeFile(root.resolve("etc/ssh/ssh_host_ed25519_key.pub"), Files.readString(pub(hostKey)), "rw-r--r--");
        // sshd would warn about the RSA and ECDSA keys it does not find
        writeFile(root.resolve("etc/ssh/sshd_config.d/pig-sandbox.conf"),
                "HostKey /etc/ssh/ssh_host_ed25519_key\n", "rw-r--r--");

        Path machineId = dir.resolve("machine-id");
        if (!Files.isRegularFile(machineId)) {
            Files.writeString(machineId, UUID.randomUUID().toString().replace("-", "") + "\n");
        }
        writeFile(root.resolve("etc/machine-id"), Files.readString(machineId), "r--r--r--");
        writeFile(root.resolve("etc/hostname"), h.name() + "\n", "rw-r--r--");
        writeFile(root.resolve("etc/hosts"), net.etcHosts(h), "rw-r--r--");
        Path ssh = root.resolve("root/.ssh");
        Files.createDirectories(ssh);
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        writeFile(ssh.resolve("authorized_keys"), Files.readString(pub(layout.key())), "rw-------");
        writeFile(root.resolve("etc/apt/apt.conf.d/01pig-sandbox-proxy"),
                "Acquire::http::Proxy \"" + net.proxyUrl() + "\";\n"
                        + "Acquire::https::Proxy \"" + net.proxyUrl() + "\";\n", "rw-r--r--");
    }

    private static void writeFile(Path p, String text, String perms) throws IOException {
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p); // never write through a symlink the image might have there
        Files.writeString(p, text, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private void prepareNetwork(SandboxHost h, SandboxNetwork net) {
        String ns = SandboxNetwork.netns(h);
        String hv = SandboxNetwork.hostVeth(h);
        String pv = SandboxNetwork.peerVeth(h);
        Tools.check(List.of("ip", "netns", "add", ns));
        Tools.check(List.of("ip", "link", "add", hv, "type", "veth", "peer", "name", pv));
        Tools.check(List.of("ip", "link", "set", pv, "netns", ns));
        Tools.check(List.of("ip", "-n", ns, "link", "set", pv, "name", "eth0"));
        Tools.check(List.of("ip", "-n", ns, "addr", "add", h.ip() + "/24", "dev", "eth0"));
        Tools.check(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        Tools.check(List.of("ip", "-n", ns, "link", "set", "eth0", "up"));
        Tools.check(List.of("ip", "-n", ns, "route", "add", "default", "via", net.bridgeIp()));
        Tools.check(List.of("ip", "link", "set", hv, "master", SandboxNetwork.BRIDGE));
        Tools.check(List.of("ip", "link", "set", hv, "up"));
        // a restarted node has a new MAC: without this the host keeps sending to the old one
        // until its neighbour entry times out, and ssh waits half a minute
        Tools.run(List.of("ip", "neigh", "flush", "to", h.ip(), "dev", SandboxNetwork.BRIDGE));
    }

    /** Puts a running node's host veth back on the bridge and up, if it is not. */
    private void attachToBridge(SandboxHost h, List<String> changes) {
        String hv = SandboxNetwork.hostVeth(h);
        Path link = Path.of("/sys/class/net", hv);
        boolean onBridge = Files.exists(link.resolve("brport")) && bridgeOf(link).equals(SandboxNetwork.BRIDGE);
        boolean up = HostParsers.linkUp(readOr(link.resolve("flags"), "0x0"));
        if (onBridge && up) {
            return;
        }
        Tools.check(List.of("ip", "link", "set", hv, "master", SandboxNetwork.BRIDGE));
        Tools.check(List.of("ip", "link", "set", hv, "up"));
        Tools.run(List.of("ip", "neigh", "flush", "to", h.ip(), "dev", SandboxNetwork.BRIDGE));
        changes.add("attached " + hv + " of " + h.name() + " (" + h.ip() + ") to " + SandboxNetwork.BRIDGE + " again");
    }

    private static String bridgeOf(Path link) {
        try {
            return Files.readSymbolicLink(link.resolve("master")).getFileName().toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String readOr(Path p, String fallback) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return fallback;
        }
    }

    private void boot(SandboxHost h) throws IOException {
        Path dir = layout.node(h);
        // setsid: the node must not get the terminal's Ctrl-C, nor die with this process
        Process p = new ProcessBuilder("setsid", "systemd-nspawn",
                "--quiet",
                "--directory=" + merged(h),
                "--boot",
                "--register=no",
                "--keep-unit",
                "--machine=" + h.name(),
                "--network-namespace-path=/run/netns/" + SandboxNetwork.netns(h),
                // the namespace is the node's own, as a VM's network is: its root may add addresses
                // (keepalived moves a VIP), which nspawn grants only with a network it made itself
                "--capability=CAP_NET_ADMIN",
                "--link-journal=no",
                "--console=read-only")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("console.log").toFile())
                .redirectErrorStream(true)
                .start();
        Files.writeString(dir.resolve("nspawn.pid"), p.pid() + "\n");
    }

    /**
     * How waiting for one node ended: its status once it answered {@code running} or
     * {@code degraded} over SSH, else why not.
     */
    private record Wait(SandboxHost host, NodeStatus status, String failure) {
    }

    /** Waits for a node that was just booted; fails with its console's tail if it does not come up. */
    private NodeStatus awaitNode(SandboxHost h, Duration timeout) {
        Wait w = waitUntilUp(h, timeout);
        if (w.status() == null) {
            throw new PigException(PigException.Kind.FAILED, "node " + h.name() + " (" + h.ip() + ") " + w.failure()
                    + ". Tail of " + console(h) + ":\n" + tailOf(console(h)));
        }
        return w.status();
    }

    private Wait waitUntilUp(SandboxHost h, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            Optional<Long> pid = runningPid(h);
            if (pid.isEmpty()) {
                return new Wait(h, null, "stopped: its systemd-nspawn process is gone");
            }
            Tools.Result r = ssh(h, List.of("systemctl", "is-system-running"), 5);
            String answer = r.out().strip();
            if (answer.equals("running") || answer.equals("degraded")) {
                if (answer.equals("degraded")) {
                    Tools.Result failed = ssh(h, List.of("systemctl", "list-units", "--state=failed", "--plain", "--no-legend",
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
            sleep(500);
        }
    }

    private void writeKnownHosts(List<SandboxHost> hosts) throws IOException {
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

    private static Set<String> names(List<SandboxHost> hosts) {
        Set<String> s = new LinkedHashSet<>();
        for (SandboxHost h : hosts) {
            s.add(h.ip());
            s.add(h.name());
        }
        return s;
    }

    /**
     * Takes the nodes down and gives them fresh disks (the base image as built), keeping their
     * host keys and machine ids: what the end-to-end tests start from, and {@code up --fresh}.
     */
    public List<String> resetDisks(List<SandboxHost> hosts) {
        List<String> done = new ArrayList<>(down(hosts, false));
        for (SandboxHost h : hosts) {
            Path dir = layout.node(h);
            boolean had = false;
            for (String d : List.of("upper", "work")) {
                if (Files.isDirectory(dir.resolve(d))) {
                    BaseImage.removeTree(dir.resolve(d));
                    had = true;
                }
            }
            if (had) {
                done.add("reset the disk of " + h.name());
            }
        }
        return done;
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
        try (Lock lock = lock()) {
            List<SandboxHost> all = new ArrayList<>(hosts);
            for (SandboxHost h : nodeDirs()) {
                if (all.stream().noneMatch(x -> x.ip().equals(h.ip()))) {
                    all.add(h);
                }
            }
            List<Long> pids = new ArrayList<>(Procs.find("systemd-nspawn", layout.nodes() + "/"));
            for (SandboxHost h : all) {
                runningPid(h).filter(p -> !pids.contains(p)).ifPresent(pids::add);
            }
            if (!pids.isEmpty()) {
                progress.accept("stopping " + pids.size() + " node" + (pids.size() == 1 ? "" : "s"));
                stopAll(pids);
                done.add("stopped " + pids.size() + " node" + (pids.size() == 1 ? "" : "s"));
            }
            List<Long> orphans = Procs.containerProcesses(layout.nodes() + "/");
            if (!orphans.isEmpty()) {
                killAll(orphans);
                done.add("killed " + orphans.size() + " container process" + (orphans.size() == 1 ? "" : "es")
                        + " left without their systemd-nspawn");
            }
            // a killed up may have left debootstrap running, with /proc and /sys mounted in its target
            List<Long> builds = Procs.find("debootstrap", layout.cache().toString());
            if (!builds.isEmpty()) {
                List<Long> tree = new ArrayList<>(builds);
                for (long b : builds) {
                    ProcessHandle.of(b).ifPresent(ph -> ph.descendants().forEach(d -> tree.add(d.pid())));
                }
                killAll(tree);
                done.add("stopped an unfinished base image build");
            }
            if (unmountUnder(layout.cache()) > 0) {
                done.add("unmounted what the unfinished image build had mounted");
            }
            int unmounted = unmountUnder(layout.state());
            if (unmounted > 0) {
                done.add("unmounted " + unmounted + " node disk" + (unmounted == 1 ? "" : "s"));
            }
            // host veth ends first (each takes its peer along), then the namespaces, then the bridge
            for (String link : linkList()) {
                if (SandboxNetwork.isSandboxLink(link) && !link.equals(SandboxNetwork.BRIDGE) && deleteLink(link)) {
                    done.add("deleted link " + link);
                }
            }
            for (String ns : netnsList()) {
                if (SandboxNetwork.isSandboxNetns(ns) && deleteNetns(ns)) {
                    done.add("deleted netns " + ns);
                }
            }
            if (deleteLink(SandboxNetwork.BRIDGE)) {
                done.add("deleted bridge " + SandboxNetwork.BRIDGE);
            }
            if (stopProxy()) {
                done.add("stopped package proxy");
            }
            for (SandboxHost h : all) {
                Files.deleteIfExists(layout.node(h).resolve("nspawn.pid"));
            }
            if (purge) {
                if (Files.isDirectory(layout.nodes())) {
                    if (!HostParsers.mountPoints(Files.readString(Path.of("/proc/mounts"))).stream()
                            .filter(m -> m.startsWith(layout.state() + "/")).toList().isEmpty()) {
                        throw new PigException(PigException.Kind.FAILED, "a node disk under " + layout.nodes()
                                + " is still mounted; not deleting node disks. See: grep " + layout.state() + " /proc/mounts");
                    }
                    BaseImage.removeTree(layout.nodes());
                    done.add("deleted node disks in " + layout.nodes());
                }
                if (Files.isDirectory(layout.proxyDir())) {
                    BaseImage.removeTree(layout.proxyDir());
                }
                if (Files.exists(layout.cache())) {
                    image.purge();
                    done.add("deleted cached images in " + layout.cache());
                }
                Path kh = layout.knownHosts();
                if (Files.isRegularFile(kh)) {
                    String before = Files.readString(kh);
                    String after = HostParsers.knownHostsWithout(before, names(all));
                    if (!after.equals(before)) {
                        Files.writeString(kh, after);
                        done.add("removed the nodes from " + kh);
                    }
                }
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "sandbox down failed: " + e.getMessage(), e);
        }
        return done;
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

    /** SIGTERM (a node's orderly poweroff), then SIGKILL to what is left, with its children. */
    private static void stopAll(List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        long nextTerm = 0;
        while (handles.stream().anyMatch(h -> Procs.alive(h.pid())) && System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextTerm) {
                // again every few seconds: nspawn passes each SIGTERM on as a poweroff request, and
                // a systemd still starting up may not have been listening for the first one
                handles.stream().filter(h -> Procs.alive(h.pid())).forEach(ProcessHandle::destroy);
                nextTerm = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            }
            sleep(200);
        }
        for (ProcessHandle h : handles) {
            if (Procs.alive(h.pid())) {
                List<ProcessHandle> tree = h.descendants().toList();
                h.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        }
        // then give the parent (this JVM, or init for nodes an earlier pig started) a moment to reap
        long reapDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (handles.stream().anyMatch(h -> Files.exists(Path.of("/proc", Long.toString(h.pid()))))
                && System.nanoTime() < reapDeadline) {
            sleep(100);
        }
    }

    /** SIGKILL, for what has no orderly way down; waits until the processes are gone. */
    private static void killAll(List<Long> pids) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        handles.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (handles.stream().anyMatch(h -> Procs.alive(h.pid())) && System.nanoTime() < deadline) {
            sleep(100);
        }
    }

    private boolean stopProxy() {
        List<Long> pids = new ArrayList<>(Procs.find("tinyproxy", layout.proxyDir().toString()));
        Procs.recorded(layout.proxyDir().resolve("tinyproxy.pid"), layout.proxyDir().toString())
                .filter(p -> !pids.contains(p)).ifPresent(pids::add);
        stopAll(pids);
        try {
            Files.deleteIfExists(layout.proxyDir().resolve("tinyproxy.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return !pids.isEmpty();
    }

    /** Unmounts every mount at or below a directory, deepest first; returns how many. */
    static int unmountUnder(Path dir) {
        List<String> points;
        try {
            points = new ArrayList<>(HostParsers.mountPoints(Files.readString(Path.of("/proc/mounts"))));
        } catch (IOException e) {
            return 0;
        }
        String prefix = dir + "/";
        points.removeIf(m -> !m.startsWith(prefix) && !m.equals(dir.toString()));
        Collections.reverse(points);
        int n = 0;
        for (String m : new LinkedHashSet<>(points)) {
            Tools.Result r = Tools.run(List.of("umount", m));
            if (!r.ok()) {
                // a process we could not see still holds it: detach now, the kernel frees it later
                Tools.check(List.of("umount", "-l", m));
            }
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------------ status, ssh, exec

    /** The state of each node: its process and whether it answers over SSH. */
    public List<NodeStatus> status(List<SandboxHost> hosts) {
        host.require(List.of("ssh"));
        return parallel(hosts, this::statusOf);
    }

    private NodeStatus statusOf(SandboxHost h) {
        Optional<Long> pid = runningPid(h);
        if (pid.isEmpty()) {
            return new NodeStatus(h, pid, Optional.empty());
        }
        Tools.Result r = ssh(h, List.of("systemctl", "is-system-running"), 5);
        String answer = r.out().strip();
        boolean answered = r.exit() != 255 && !answer.isEmpty(); // 255: ssh itself failed
        return new NodeStatus(h, pid, answered ? Optional.of(answer) : Optional.empty());
    }

    /** The node with this hostname or address. */
    public static SandboxHost find(List<SandboxHost> hosts, String nameOrIp) {
        return hosts.stream().filter(h -> h.name().equals(nameOrIp) || h.ip().equals(nameOrIp)).findFirst()
                .orElseThrow(() -> new PigException(PigException.Kind.USAGE, "no sandbox node '" + nameOrIp
                        + "'; the nodes are: " + String.join(", ", hosts.stream().map(h -> h.name() + " (" + h.ip() + ")").toList())));
    }

    /** The system ssh client's command line that logs in to a node with the sandbox key. */
    public List<String> sshCommand(SandboxHost h, List<String> command, boolean batch) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-i", layout.key().toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + layout.knownHosts(),
                "-o", "StrictHostKeyChecking=accept-new",
                "-o", "LogLevel=ERROR"));
        if (batch) {
            cmd.addAll(List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=3"));
        }
        // after "--" nothing is an option of ssh, not even a command word that starts with "-"
        cmd.add("--");
        cmd.add("root@" + h.ip());
        if (!command.isEmpty()) {
            cmd.add(HostParsers.shellQuote(command));
        }
        return cmd;
    }

    /** Runs a command on a node and captures its output. */
    public Tools.Result ssh(SandboxHost h, List<String> command, long timeoutSeconds) {
        return Tools.run(sshCommand(h, command, true), timeoutSeconds);
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
        return Tools.interactive(sshCommand(h, command, false));
    }

    // ---------------------------------------------------------------------------------- helpers

    private Path merged(SandboxHost h) {
        return layout.node(h).resolve("merged");
    }

    private Path console(SandboxHost h) {
        return layout.node(h).resolve("console.log");
    }

    /** The node's nspawn process, if the recorded PID is alive and still that node's. */
    private Optional<Long> runningPid(SandboxHost h) {
        return Procs.recorded(layout.node(h).resolve("nspawn.pid"), "--directory=" + merged(h));
    }

    /**
     * Deletes a link if it exists; returns whether it did. Losing a race is fine: deleting a veth
     * end or a namespace removes the peer asynchronously.
     */
    private static boolean deleteLink(String name) {
        if (!linkExists(name)) {
            return false;
        }
        Tools.Result r = Tools.run(List.of("ip", "link", "del", name));
        if (!r.ok() && linkExists(name)) {
            throw new PigException(PigException.Kind.FAILED, "`ip link del " + name + "` failed: " + r.err().strip());
        }
        return r.ok();
    }

    private static boolean deleteNetns(String name) {
        if (!Files.exists(Path.of("/run/netns", name))) {
            return false;
        }
        Tools.Result r = Tools.run(List.of("ip", "netns", "del", name));
        if (!r.ok() && Files.exists(Path.of("/run/netns", name))) {
            throw new PigException(PigException.Kind.FAILED, "`ip netns del " + name + "` failed: " + r.err().strip());
        }
        return r.ok();
    }

    private static boolean netnsExists(SandboxHost h) {
        return Files.exists(Path.of("/run/netns", SandboxNetwork.netns(h)));
    }

    private static List<String> netnsList() {
        File[] f = new File("/run/netns").listFiles();
        return f == null ? List.of() : Stream.of(f).map(File::getName).sorted().toList();
    }

    private static boolean linkExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    private static List<String> linkList() {
        File[] f = new File("/sys/class/net").listFiles();
        return f == null ? List.of() : Stream.of(f).map(File::getName).sorted().toList();
    }

    private static boolean mounted(Path p) {
        try {
            return HostParsers.mountPoints(Files.readString(Path.of("/proc/mounts"))).contains(p.toString());
        } catch (IOException e) {
            return false;
        }
    }

    private static String tailOf(Path log) {
        try {
            return Files.isRegularFile(log)
                    ? HostParsers.tail(new String(Files.readAllBytes(log), StandardCharsets.UTF_8), 20)
                    : "(no " + log + ")";
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    /**
     * One lock for every sandbox command, so two of them never work on the same nodes at once: a
     * file lock between processes and, since a JVM holds file locks for all its threads, a
     * semaphore between threads (a test's shutdown hook runs beside the test's own {@code up}).
     */
    private Lock lock() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        try {
            if (!IN_PROCESS.tryAcquire(180, java.util.concurrent.TimeUnit.SECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted while waiting for the sandbox lock");
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(layout.state());
            ch = FileChannel.open(layout.state().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (ch.tryLock() == null) {
                if (System.nanoTime() > deadline) {
                    throw busy();
                }
                sleep(250);
            }
            return new Lock(ch);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            IN_PROCESS.release();
            throw e;
        }
    }

    private PigException busy() {
        return new PigException(PigException.Kind.UNAVAILABLE, "another pig sandbox command is running"
                + " (it holds " + layout.state().resolve(".lock") + "); wait for it or stop it");
    }

    private static final java.util.concurrent.Semaphore IN_PROCESS = new java.util.concurrent.Semaphore(1);

    /** Held while a command runs; closing the channel releases the lock (so does the process dying). */
    private record Lock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                IN_PROCESS.release();
            }
        }
    }

    private static <T> List<T> parallel(List<SandboxHost> hosts, Function<SandboxHost, T> f) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, hosts.size()));
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (SandboxHost h : hosts) {
                futures.add(pool.submit(() -> f.apply(h)));
            }
            List<T> out = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Future<T> fu : futures) {
                try {
                    out.add(fu.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof PigException pe) {
                        failures.add(pe.getMessage());
                    } else {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }
            if (!failures.isEmpty()) {
                throw new PigException(PigException.Kind.FAILED, String.join("\n", failures));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted");
        }
    }
}
