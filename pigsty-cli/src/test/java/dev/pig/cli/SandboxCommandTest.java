package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
