package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.ConnectOptions;
import dev.pig.core.ssh.HostKeyPolicy;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.SshjTransport;
import dev.pig.core.ssh.Transport;
import dev.pig.sandbox.NodeStatus;
import dev.pig.sandbox.Sandbox;
import dev.pig.sandbox.SandboxHost;
import dev.pig.sandbox.SandboxHosts;
import dev.pig.sandbox.SandboxLayout;
import dev.pig.sandbox.SandboxNetwork;
import dev.pig.sandbox.image.BaseImage;
import dev.pig.sandbox.system.Tools;

/**
 * {@code pig sandbox} on real nodes: up, idempotence, status, ssh, pig's own transport, recovery
 * (a killed node, a dead sshd, a deleted bridge, a host reboot), a down that leaves nothing, the
 * test JVM's shutdown hook and {@code down --purge}.
 *
 * <p>The last two steps bring up a one-node sandbox of their own ({@code src-test-fixtures/it/solo.yml})
 * in directories of their own, on a hard-linked copy of the cached image, so purging it never
 * costs the other IT classes a rebuild of the standard image. Interface and namespace names are
 * the same for every sandbox on the machine, so they run while the four nodes are down.
 */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxIT {
    static final Path ROOT = Path.of(System.getProperty("pig.root", "..")).toAbsolutePath().normalize();
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final Path SOLO = ROOT.resolve("src-test-fixtures/it/solo.yml");
    /** Where the steps with a sandbox of their own keep it. */
    static final Path OWN = Path.of("/var/lib/pig/sandbox-it");

    /** The node's systemd says running; when not, the message names the units that failed and the boot's errors. */
    static void assertRunning(SandboxExtension.Lab lab, String node) {
        assertEquals("running", lab.run(node, "systemctl", "is-system-running").out().strip(), () -> node + failed(lab, node));
    }

    static String failed(SandboxExtension.Lab lab, String node) {
        return ": failed units: " + lab.run(node, "sh", "-c", "systemctl --failed --no-legend; journalctl -b -p err -n 20 --no-pager").out();
    }

    @Test
    @Order(1)
    void every_node_answers_over_ssh_as_running_and_status_says_so(SandboxExtension.Lab lab) {
        List<NodeStatus> nodes = lab.sandbox().status(lab.hosts());
        assertEquals(4, nodes.size());
        for (NodeStatus n : nodes) {
            assertTrue(n.running(), n.host() + " has no nspawn process");
            assertEquals("running", n.state().orElse("no SSH answer"), () -> n.host() + failed(lab, n.host().name()));
            assertEquals(n.host().name(), lab.run(n.host().ip(), "hostname").out().strip());
        }
        assertStatus(lab, "\\d+\\s+running\\s+ok\\s+running");
    }

    @Test
    @Order(2)
    void a_second_up_changes_nothing(SandboxExtension.Lab lab) {
        Map<String, Long> before = pids(lab);
        Pig r = Pig.run("sandbox", "up", "-i", INV);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("All 4 nodes were already up; nothing changed."), r.out());
        assertEquals("", r.err());
        assertEquals(before, pids(lab));
    }

    @Test
    @Order(3)
    void ssh_returns_the_remote_commands_exit_code_and_hands_it_pigs_stdin(SandboxExtension.Lab lab) throws Exception {
        assertEquals(3, sandboxSsh("", "pg-test-2", "sh", "-c", "exit 3").exit());
        assertEquals(0, sandboxSsh("", "10.10.10.12", "true").exit());
        Pig cat = sandboxSsh("a line for the node\n", "pg-test-2", "cat");
        assertEquals(0, cat.exit(), cat.err());
        assertEquals("a line for the node\n", cat.out());
    }

    /**
     * {@code pig sandbox ssh} in a pig of its own, with this text as its stdin. ssh reads the stdin
     * it is attached to, and this JVM's stdin is the test runner's channel: a run in-process would
     * hand that to the node.
     */
    private static Pig sandboxSsh(String stdin, String node, String... command) throws Exception {
        Path in = Files.createTempFile("sandbox-ssh", ".in");
        Path out = Files.createTempFile("sandbox-ssh", ".out");
        Path err = Files.createTempFile("sandbox-ssh", ".err");
        try {
            Files.writeString(in, stdin);
            List<String> args = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), "-Dpig.root=" + ROOT,
                    dev.pig.cli.Main.class.getName(), "sandbox", "ssh", "-i", INV, node, "--"));
            args.addAll(List.of(command));
            Process p = new ProcessBuilder(args).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pig sandbox ssh did not end in 120 s");
            Pig r = new Pig(p.exitValue(), Files.readString(out), Files.readString(err));
            System.out.print(r.out());
            System.out.print(r.err());
            return r;
        } finally {
            for (Path f : List.of(in, out, err)) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    @Order(4)
    void nodes_have_their_own_host_keys_and_machine_ids(SandboxExtension.Lab lab) {
        Set<String> keys = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (SandboxHost h : lab.hosts()) {
            keys.add(lab.run(h.name(), "cat", "/etc/ssh/ssh_host_ed25519_key.pub").out().split("\\s+")[1]);
            ids.add(lab.run(h.name(), "cat", "/etc/machine-id").out().strip());
        }
        assertEquals(4, keys.size());
        assertEquals(4, ids.size());
    }

    @Test
    @Order(5)
    void pigs_own_transport_reaches_every_node_as_the_inventory_says_with_the_recorded_host_key(
            SandboxExtension.Lab lab) {
        // strict: the host key must already be where up recorded it, in pig's own known_hosts
        ConnectOptions opts = ConnectOptions.defaults().withHostKeyPolicy(HostKeyPolicy.STRICT);
        for (SandboxHost h : lab.hosts()) {
            SshTarget t = lab.target(h.name());
            assertEquals(h.ip(), t.host());
            assertEquals(List.of(SandboxLayout.defaults().key()), t.privateKeys(), "the inventory's key file");
            try (Transport tr = SshjTransport.connect(t, opts)) {
                CommandResult r = tr.run("hostname; systemctl is-system-running", null, Duration.ofSeconds(30));
                assertEquals(h.name() + "\nrunning\n", r.out(), r.err());
                byte[] text = ("written by pig to " + h.name() + "\n").getBytes(StandardCharsets.UTF_8);
                tr.upload(text, "/tmp/pig-it-upload", "0640", null, null, Duration.ofSeconds(30));
                assertEquals(new String(text, StandardCharsets.UTF_8) + "640\n",
                        tr.run("cat /tmp/pig-it-upload; stat -c %a /tmp/pig-it-upload; rm /tmp/pig-it-upload",
                                null, Duration.ofSeconds(30)).out());
            }
        }
    }

    @Test
    @Order(6)
    void up_restarts_a_node_whose_nspawn_was_killed_and_its_old_container_goes(SandboxExtension.Lab lab)
            throws Exception {
        SandboxHost node = lab.node("pg-test-3");
        long pid = lab.sandbox().status(List.of(node)).get(0).pid().orElseThrow();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(50);
        }
        Sandbox.UpReport r = lab.up();
        assertEquals(List.of("started pg-test-3 (10.10.10.13)"), r.changes());
        assertRunning(lab, "pg-test-3");
        long containers = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().filter(c -> c.endsWith("/systemd")).isPresent())
                .filter(p -> p.parent().flatMap(pp -> pp.info().command()).filter(c -> c.endsWith("/systemd-nspawn")).isEmpty())
                .filter(p -> p.pid() != 1)
                .count();
        assertEquals(0, containers, "a container init without its systemd-nspawn is still running");
    }

    @Test
    @Order(7)
    void up_restarts_a_running_node_whose_sshd_is_dead(SandboxExtension.Lab lab) {
        Map<String, Long> before = pids(lab);
        // Debian's ssh.service kills only the listener: this session ends normally
        assertEquals(0, lab.run("pg-test-2", "systemctl", "stop", "ssh.service").exit());
        assertEquals(255, lab.run("pg-test-2", "true").exit(), "sshd still answers");

        Pig r = Pig.run("sandbox", "up", "-i", INV);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  + restarted pg-test-2 (10.10.10.12): did not answer over SSH as running within "
                + Sandbox.RECHECK_TIMEOUT.toSeconds() + " s"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("  + ")).count(), "only pg-test-2 changes:\n" + r.out());
        Map<String, Long> after = pids(lab);
        assertNotEquals(before.get("pg-test-2"), after.get("pg-test-2"));
        before.remove("pg-test-2");
        after.remove("pg-test-2");
        assertEquals(before, after, "the other nodes were left as they were");
        assertRunning(lab, "pg-test-2");
    }

    @Test
    @Order(8)
    void up_puts_running_nodes_back_on_a_bridge_that_was_deleted(SandboxExtension.Lab lab) {
        Map<String, Long> before = pids(lab);
        Tools.check(List.of("ip", "link", "del", SandboxNetwork.BRIDGE));
        assertEquals(255, lab.run("pg-test-1", "true").exit(), "a node answers without the bridge");

        Pig r = Pig.run("sandbox", "up", "-i", INV);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  + created bridge pig-br0"), r.out());
        for (SandboxHost h : lab.hosts()) {
            assertTrue(r.out().contains("  + attached " + SandboxNetwork.hostVeth(h) + " of " + h.name() + " (" + h.ip()
                    + ") to pig-br0 again"), r.out());
            assertRunning(lab, h.name());
            // and through the bridge to the package proxy: any HTTP answer, even an error, is the proxy's
            assertNotEquals("000", lab.run(h.name(), "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "-x", "http://10.10.10.1:8888", "http://127.0.0.1:1/").out().strip(), h.name());
        }
        assertEquals(List.of(), r.out().lines().filter(l -> l.matches("  \\+ (re)?started [a-z0-9-]+ \\(.*")).toList(),
                "no node needed a restart");
        assertEquals(before, pids(lab), "the nodes kept running");
    }

    @Test
    @Order(9)
    void up_after_a_host_reboot_starts_every_node_again(SandboxExtension.Lab lab) throws Exception {
        SandboxLayout layout = lab.sandbox().layout();
        simulateReboot(lab.hosts(), layout);
        for (SandboxHost h : lab.hosts()) {
            assertTrue(Files.isRegularFile(layout.node(h).resolve("nspawn.pid")), "a reboot keeps the pid files");
        }
        assertStatus(lab, "-\\s+stopped\\s+-\\s+-");

        Pig r = Pig.run("sandbox", "up", "-i", INV);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  + created bridge pig-br0"), r.out());
        assertTrue(r.out().contains("  + started package proxy on http://10.10.10.1:8888"), r.out());
        for (SandboxHost h : lab.hosts()) {
            assertTrue(r.out().contains("  + started " + h.name() + " (" + h.ip() + ")"), r.out());
            assertRunning(lab, h.name());
        }
        assertStatus(lab, "\\d+\\s+running\\s+ok\\s+running");
    }

    @Test
    @Order(10)
    void down_leaves_no_node_netns_mount_bridge_or_proxy(SandboxExtension.Lab lab) {
        lab.down();
        assertNothingLeft(SandboxLayout.defaults());
        assertStatus(lab, "-\\s+stopped\\s+-\\s+-");
    }

    @Test
    @Order(11)
    void down_cleans_up_after_an_up_that_was_killed_mid_boot(SandboxExtension.Lab lab) throws Exception {
        Path jar = ROOT.resolve("pigsty-cli/target/pig.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is built in the package phase, before the ITs");
        java.nio.file.attribute.FileTime started = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(1));
        Process up = new ProcessBuilder(java(), "-jar", jar.toString(), "sandbox", "up", "-i", INV)
                .redirectErrorStream(true)
                .redirectOutput(new File("target/killed-up.log"))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (nspawnProcesses().isEmpty() && up.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(up.isAlive(), "up ended before it was killed: see target/killed-up.log");
        up.destroyForcibly();
        up.waitFor();
        assertTrue(!nspawnProcesses().isEmpty(), "the killed up left no node: nothing to clean");

        Pig r = Pig.run("sandbox", "down", "-i", INV);
        assertEquals(0, r.exit(), r.err());
        assertNothingLeft(SandboxLayout.defaults());
        // it was killed just after it started a tool (the node's nspawn): that tool's output files have no names left
        try (java.util.stream.Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            List<Path> left = tmp.filter(f -> f.getFileName().toString().startsWith("pig-sandbox-")).filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(started) >= 0;
                } catch (java.io.IOException e) {
                    return false;
                }
            }).toList();
            assertTrue(left.isEmpty(), "the killed up left " + left);
        }
    }

    @Test
    @Order(12)
    void up_from_a_warm_cache_boots_four_nodes(SandboxExtension.Lab lab) {
        long t0 = System.nanoTime();
        Sandbox.UpReport r = lab.up();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("sandbox up, %d nodes, warm cache: %.1f s%n", r.nodes().size(), seconds);
        // booted and answering over SSH; a unit of the guest that failed makes it 'degraded', and up names it
        assertTrue(r.nodes().stream().allMatch(n -> n.state().filter(s -> s.equals("running") || s.equals("degraded")).isPresent()),
                r.nodes().toString());
    }

    @Test
    @Order(13)
    void a_test_jvm_stopped_with_sigterm_takes_its_sandbox_down(SandboxExtension.Lab lab) throws Exception {
        lab.down();
        Path dir = OWN.resolve("hook");
        SandboxLayout layout = LabProcess.layoutUnder(dir);
        List<SandboxHost> solo = SandboxHosts.fromInventory(SOLO);
        removeOwnSandbox(dir, solo);
        try {
            copyStandardImage(layout);
            Path log = Path.of("target/lab-process.log").toAbsolutePath();
            Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                    "-Dpig.root=" + ROOT, LabProcess.class.getName(), SOLO.toString(), dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(log).contains(LabProcess.READY) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.readString(log).contains(LabProcess.READY), "the child's sandbox did not come up: " + log
                    + "\n" + Files.readString(log));
            assertEquals(1, nspawnProcesses().size(), "the child's node runs");
            assertTrue(Files.exists(Path.of("/run/netns/pig-10-10-10-19")));

            child.destroy(); // SIGTERM, as when a CI job or a terminal stops the test JVM
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child JVM did not exit after SIGTERM: " + log);
            assertEquals(143, child.exitValue(), "killed by SIGTERM, after its shutdown hooks ran");
            String out = Files.readString(log);
            assertTrue(out.contains("[sandbox] stopping 1 node"), "the lab's hook did not run:\n" + out);
            assertNothingLeft(layout);
        } finally {
            removeOwnSandbox(dir, solo);
        }
    }

    @Test
    @Order(14)
    void down_purge_deletes_node_disks_the_cached_image_and_known_hosts_entries(SandboxExtension.Lab lab)
            throws Exception {
        lab.down();
        Path dir = OWN.resolve("purge");
        SandboxLayout layout = LabProcess.layoutUnder(dir);
        List<SandboxHost> solo = SandboxHosts.fromInventory(SOLO);
        removeOwnSandbox(dir, solo);
        try {
            copyStandardImage(layout);
            Sandbox own = new Sandbox(layout, line -> System.out.println("[purge] " + line));
            Sandbox.UpReport up = own.up(solo, Duration.ofSeconds(180));
            assertEquals(Set.of("running"), Set.copyOf(up.nodes().stream().map(n -> n.state().orElse("-")).toList()));
            assertEquals(0, own.ssh(solo.get(0), List.of("touch", "/root/was-here"), 30).exit());
            assertTrue(Files.isRegularFile(layout.node(solo.get(0)).resolve("upper/root/was-here")));
            assertTrue(Files.readString(layout.knownHosts()).contains("10.10.10.19 "));

            List<String> done = own.down(solo, true);
            assertTrue(done.contains("deleted node disks in " + layout.nodes()), done.toString());
            assertTrue(done.contains("deleted cached images in " + layout.cache()), done.toString());
            assertTrue(done.contains("removed the nodes from " + layout.knownHosts()), done.toString());
            assertFalse(Files.exists(layout.nodes()), layout.nodes() + " is still there");
            assertFalse(Files.exists(layout.cache()), layout.cache() + " is still there");
            assertFalse(Files.readString(layout.knownHosts()).contains("10.10.10.19"));
            assertNothingLeft(layout);
            assertTrue(Files.isDirectory(standardImage().resolve("rootfs/usr/lib/systemd")),
                    "the standard image the other IT classes boot from is untouched");
        } finally {
            removeOwnSandbox(dir, solo);
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    /** What a reboot leaves: pid files, disks and state, but no process, mount, netns, veth or bridge. */
    static void simulateReboot(List<SandboxHost> hosts, SandboxLayout layout) throws Exception {
        List<ProcessHandle> doomed = new ArrayList<>();
        for (long pid : nspawnProcesses()) {
            ProcessHandle.of(pid).ifPresent(p -> {
                doomed.addAll(p.descendants().toList());
                doomed.add(p);
            });
        }
        readPid(layout.proxyDir().resolve("tinyproxy.pid")).flatMap(ProcessHandle::of).ifPresent(doomed::add);
        assertTrue(doomed.size() > hosts.size(), "nothing runs to power off: " + doomed);
        doomed.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (doomed.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (SandboxHost h : hosts) {
            Path merged = layout.node(h).resolve("merged");
            if (mounts().contains(merged.toString()) && !Tools.run(List.of("umount", merged.toString())).ok()) {
                Tools.check(List.of("umount", "-l", merged.toString()));
            }
            Tools.check(List.of("ip", "netns", "del", SandboxNetwork.netns(h)));
        }
        // the kernel frees a namespace, and the veth pair with it, a moment after the last user goes
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hosts.stream().anyMatch(h -> Files.exists(Path.of("/sys/class/net", SandboxNetwork.hostVeth(h))))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Tools.check(List.of("ip", "link", "del", SandboxNetwork.BRIDGE));
        assertNothingLeft(layout);
    }

    /** The node processes of each host, by name. */
    static Map<String, Long> pids(SandboxExtension.Lab lab) {
        Map<String, Long> out = new TreeMap<>();
        for (NodeStatus n : lab.sandbox().status(lab.hosts())) {
            out.put(n.host().name(), n.pid().orElse(-1L));
        }
        return out;
    }

    /** {@code pig sandbox status}: a header, then one row per node whose columns after NODE, IP and RELEASE match. */
    static void assertStatus(SandboxExtension.Lab lab, String rest) {
        Pig r = Pig.run("sandbox", "status", "-i", INV);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1 + lab.hosts().size(), lines.size(), r.out());
        assertTrue(lines.get(0).matches("NODE\\s+IP\\s+RELEASE\\s+PID\\s+PROCESS\\s+SSH\\s+STATE"), lines.get(0));
        for (int i = 0; i < lab.hosts().size(); i++) {
            SandboxHost h = lab.hosts().get(i);
            String row = lines.get(i + 1);
            assertTrue(row.matches(h.name().replace(".", "\\.") + "\\s+" + h.ip().replace(".", "\\.") + "\\s+" + h.release()
                    + "\\s+" + rest), row);
        }
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static Path standardImage() {
        return SandboxLayout.defaults().cache().resolve(BaseImage.key(SandboxHost.DEFAULT_RELEASE, BaseImage.PACKAGES));
    }

    /**
     * Gives a layout of its own the standard cached image, hard-linked (a copy if the two are on
     * different file systems): the overlays only read it, and deleting it unlinks only the copy.
     */
    static void copyStandardImage(SandboxLayout layout) throws IOException {
        Path from = standardImage();
        assertTrue(Files.isDirectory(from.resolve("rootfs/usr/lib/systemd")), "no standard image at " + from);
        Path to = layout.cache().resolve(from.getFileName());
        Files.createDirectories(layout.cache());
        if (!Tools.run(List.of("cp", "-al", from.toString(), to.toString())).ok()) {
            Tools.check(List.of("rm", "-rf", "--one-file-system", to.toString()));
            Tools.check(List.of("cp", "-a", from.toString(), to.toString()));
        }
    }

    /** Takes down and deletes a sandbox of a step's own, and its directory ({@link #OWN} too, once empty). */
    static void removeOwnSandbox(Path dir, List<SandboxHost> hosts) {
        if (Files.exists(dir)) {
            new Sandbox(LabProcess.layoutUnder(dir), line -> System.out.println("[own] " + line)).down(hosts, true);
            Tools.check(List.of("rm", "-rf", "--one-file-system", dir.toString()));
        }
        try {
            Files.deleteIfExists(OWN);
        } catch (IOException e) {
            // not empty: another step's sandbox is still there, and that step removes it
        }
    }

    /** The checks a user would run: ip netns list, pgrep -x systemd-nspawn, /proc/mounts, ip link. */
    static void assertNothingLeft(SandboxLayout layout) {
        String[] netns = new File("/run/netns").list();
        List<String> ours = new ArrayList<>();
        for (String n : netns == null ? new String[0] : netns) {
            if (n.startsWith("pig-")) {
                ours.add(n);
            }
        }
        assertEquals(List.of(), ours, "network namespaces left");
        assertEquals(List.of(), nspawnProcesses(), "systemd-nspawn processes left");
        assertEquals(List.of(), mounts().stream().filter(m -> m.startsWith(layout.state() + "/")).toList(), "mounts left");
        String[] links = new File("/sys/class/net").list();
        List<String> ourLinks = new ArrayList<>();
        for (String l : links == null ? new String[0] : links) {
            if (l.startsWith("pig-")) {
                ourLinks.add(l);
            }
        }
        assertEquals(List.of(), ourLinks, "links left (bridge pig-br0, veths pig-v*)");
        assertEquals(1, Tools.run(List.of("pgrep", "-f", layout.proxyDir().toString())).exit(), "tinyproxy left");
    }

    static List<String> mounts() {
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1]).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static java.util.Optional<Long> readPid(Path file) {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Live systemd-nspawn processes (a zombie waiting for init to reap it runs nothing). */
    static List<Long> nspawnProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().filter(c -> c.endsWith("/systemd-nspawn")).isPresent())
                .map(ProcessHandle::pid)
                .toList();
    }
}
