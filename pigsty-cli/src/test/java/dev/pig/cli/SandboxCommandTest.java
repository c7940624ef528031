package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.sandbox.system.HostCheck;

/** The parts of {@code pig sandbox} that fail before touching the host: no root, no nodes needed. */
class SandboxCommandTest {
    static final String FOUR = Path.of(System.getProperty("pig.root", ".."))
            .resolve("inventory-examples/sandbox.yml").toString();

    record Run(int exit, String out, String err) {
    }

    static Run pig(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PigCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every made-up machine below fails the check, so no test here ever touches the real one. */
    static void machine(String os, int uid, String... missingTools) {
        Set<String> missing = Set.of(missingTools);
        SandboxCommand.hostCheck = () -> new HostCheck(os, uid, t -> !missing.contains(t));
    }

    @AfterEach
    void this_machine_again() {
        SandboxCommand.hostCheck = HostCheck::ofThisMachine;
    }

    static void assertRefused(Run r, String stderr) {
        assertEquals(ExitCodes.UNAVAILABLE, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(stderr + "\n", r.err());
    }

    @Test
    void up_on_another_os_exits_69_and_says_where_to_run_it() {
        machine("Mac OS X", 501);
        assertRefused(pig("sandbox", "up", "-i", FOUR), "Error: the sandbox needs Linux (systemd-nspawn, network"
                + " namespaces, overlayfs); this is Mac OS X. Run pig sandbox on a Debian 12 machine or VM.");
    }

    @Test
    void up_as_a_normal_user_exits_69_and_says_to_run_it_as_root() {
        machine("Linux", 1000);
        assertRefused(pig("sandbox", "up", "-i", FOUR), "Error: the sandbox needs root (it mounts overlays, creates"
                + " network namespaces and boots containers). Run it as root, e.g. sudo pig sandbox ...");
    }

    @Test
    void up_without_debootstrap_and_tinyproxy_exits_69_with_the_apt_get_line() {
        machine("Linux", 0, "debootstrap", "tinyproxy");
        assertRefused(pig("sandbox", "up", "-i", FOUR), "Error: the sandbox needs debootstrap, tinyproxy, which are"
                + " not installed. Fix: apt-get install -y debootstrap tinyproxy (or run: pig sandbox up --install-deps)");
    }

    @Test
    void down_without_ip_exits_69_naming_iproute2() {
        machine("Linux", 0, "ip");
        assertRefused(pig("sandbox", "down", "-i", FOUR), "Error: the sandbox needs ip, which is not installed."
                + " Fix: apt-get install -y iproute2 (or run: pig sandbox up --install-deps)");
    }

    @Test
    void status_and_ssh_without_an_ssh_client_exit_69_naming_openssh_client() {
        machine("Linux", 0, "ssh");
        String fix = "Error: the sandbox needs ssh, which is not installed. Fix: apt-get install -y openssh-client"
                + " (or run: pig sandbox up --install-deps)";
        assertRefused(pig("sandbox", "status", "-i", FOUR), fix);
        assertRefused(pig("sandbox", "ssh", "-i", FOUR, "pg-test-1", "--", "true"), fix);
    }

    @Test
    void install_deps_as_a_normal_user_exits_69_before_running_apt_get() {
        machine("Linux", 1000, "debootstrap");
        assertRefused(pig("sandbox", "up", "--install-deps", "-i", FOUR), "Error: the sandbox needs root (it mounts"
                + " overlays, creates network namespaces and boots containers). Run it as root, e.g. sudo pig sandbox ...");
    }

    @Test
    void install_deps_on_a_machine_without_apt_get_exits_69_naming_the_packages() {
        machine("Linux", 0, "apt-get", "tinyproxy");
        assertRefused(pig("sandbox", "up", "--install-deps", "-i", FOUR), "Error: --install-deps uses apt-get, which"
                + " this machine does not have. Install the packages that provide tinyproxy with its own package"
                + " manager (their Debian names: tinyproxy)");
    }

    @Test
    void sandbox_without_a_verb_prints_usage_and_exits_64() {
        Run r = pig("sandbox");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.out().contains("up") && r.out().contains("down") && r.out().contains("ssh"), r.out());
    }

    @Test
    void ssh_to_an_unknown_node_names_the_nodes_on_stderr_only() {
        Run r = pig("sandbox", "ssh", "-i", FOUR, "pg-test-9", "--", "true");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("no sandbox node 'pg-test-9'; the nodes are: pg-meta-1 (10.10.10.10), "
                + "pg-test-1 (10.10.10.11), pg-test-2 (10.10.10.12), pg-test-3 (10.10.10.13)"), r.err());
    }

    @Test
    void up_rejects_hosts_in_two_subnets_before_touching_the_host(@TempDir Path tmp) throws IOException {
        Path inv = tmp.resolve("two-subnets.yml");
        Files.writeString(inv, """
                all:
                  children:
                    etcd: { hosts: { 10.10.10.11: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-test:
                      hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary }, 10.10.20.12: { pg_seq: 2, pg_role: replica } }
                      vars: { pg_cluster: pg-test }
                """);
        Run r = pig("sandbox", "up", "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INVENTORY, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Error: cannot plan the sandbox network:"), r.err());
    }

    @Test
    void a_missing_inventory_is_reported_with_how_to_pass_one() {
        Run r = pig("sandbox", "status", "-i", "no/such/inventory.yml");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().startsWith("Error: inventory file not found: no/such/inventory.yml"), r.err());
        assertTrue(r.err().contains("-i FILE"), r.err());
    }
}
