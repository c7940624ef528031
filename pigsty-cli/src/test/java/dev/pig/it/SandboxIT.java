package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pig.core.sandbox.NodeStatus;
import dev.pig.core.sandbox.Sandbox;
import dev.pig.core.sandbox.SandboxHost;
import dev.pig.core.sandbox.Tools;

/** {@code pig sandbox} on real nodes: up, idempotence, ssh, and a down that leaves nothing. */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxIT {
    static final String INV = SandboxExtension.INVENTORY.toString();

    @Test
    @Order(1)
    void every_node_answers_over_ssh_as_running(SandboxExtension.Lab lab) {
        List<NodeStatus> nodes = lab.sandbox().status(lab.hosts());
        assertEquals(4, nodes.size());
        for (NodeStatus n : nodes) {
            assertTrue(n.running(), n.host() + " has no nspawn process");
            assertEquals("running", n.state().orElse("no SSH answer"), n.host().toString());
            assertEquals(n.host().name(), lab.run(n.host().ip(), "hostname").out().strip());
        }
    }

    @Test
    @Order(2)
    void a_second_up_changes_nothing(SandboxExtension.Lab lab) {
        Pig r = Pig.run("sandbox", "up", "-i", INV);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("All 4 nodes were already up; nothing changed."), r.out());
        assertEquals("", r.err());
    }

    @Test
    @Order(3)
    void ssh_returns_the_remote_commands_exit_code(SandboxExtension.Lab lab) {
        assertEquals(3, Pig.run("sandbox", "ssh", "-i", INV, "pg-test-2", "--", "sh", "-c", "exit 3").exit());
        assertEquals(0, Pig.run("sandbox", "ssh", "-i", INV, "10.10.10.12", "--", "true").exit());
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
        assertEquals("running", lab.run("pg-test-3", "systemctl", "is-system-running").out().strip());
        long containers = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().filter(c -> c.endsWith("/systemd")).isPresent())
                .filter(p -> p.parent().flatMap(pp -> pp.info().command()).filter(c -> c.endsWith("/systemd-nspawn")).isEmpty())
                .filter(p -> p.pid() != 1)
                .count();
        assertEquals(0, containers, "a container init without its systemd-nspawn is still running");
    }

    @Test
    @Order(6)
    void down_leaves_no_node_netns_mount_bridge_or_proxy(SandboxExtension.Lab lab) {
        lab.down();
        assertNothingLeft();
    }

    @Test
    @Order(7)
    void down_cleans_up_after_an_up_that_was_killed_mid_boot(SandboxExtension.Lab lab) throws Exception {
        Path jar = Path.of(System.getProperty("pig.root", "..")).resolve("pigsty-cli/target/pig.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is built in the package phase, before the ITs");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process up = new ProcessBuilder(java, "-jar", jar.toString(), "sandbox", "up", "-i", INV)
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
        assertNothingLeft();
    }

    @Test
    @Order(8)
    void up_from_a_warm_cache_boots_four_nodes(SandboxExtension.Lab lab) {
        long t0 = System.nanoTime();
        Sandbox.UpReport r = lab.up();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("sandbox up, %d nodes, warm cache: %.1f s%n", r.nodes().size(), seconds);
        assertTrue(r.nodes().stream().allMatch(n -> n.state().filter("running"::equals).isPresent()), r.nodes().toString());
    }

    /** The checks a user would run: ip netns list, pgrep -x systemd-nspawn, /proc/mounts, ip link. */
    static void assertNothingLeft() {
        String[] netns = new File("/run/netns").list();
        List<String> ours = new ArrayList<>();
        for (String n : netns == null ? new String[0] : netns) {
            if (n.startsWith("pig-")) {
                ours.add(n);
            }
        }
        assertEquals(List.of(), ours, "network namespaces left");
        assertEquals(List.of(), nspawnProcesses(), "systemd-nspawn processes left");
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .filter(l -> l.contains("/var/lib/pig/sandbox")).toList();
            assertEquals(List.of(), mounts, "mounts left");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String[] links = new File("/sys/class/net").list();
        List<String> ourLinks = new ArrayList<>();
        for (String l : links == null ? new String[0] : links) {
            if (l.startsWith("pig-")) {
                ourLinks.add(l);
            }
        }
        assertEquals(List.of(), ourLinks, "links left (bridge pig-br0, veths pig-v*)");
        assertTrue(Tools.run(List.of("pgrep", "-f", "/var/lib/pig/sandbox/tinyproxy")).exit() == 1, "tinyproxy left");
    }

    /** Live systemd-nspawn processes (a zombie waiting for init to reap it runs nothing). */
    static List<Long> nspawnProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().filter(c -> c.endsWith("/systemd-nspawn")).isPresent())
                .map(ProcessHandle::pid)
                .toList();
    }
}
