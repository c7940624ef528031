package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code pig node add|rm}: the arguments; what they plan is tested with the NODE module. */
class NodeCommandTest {

    @Test
    void node_without_a_subcommand_shows_add_and_rm() {
        PigRunner.Result r = PigRunner.run("node");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("add") && r.out().contains("rm"), r.out());
    }

    @Test
    void add_needs_a_selector() {
        PigRunner.Result r = PigRunner.run("node", "add");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("SELECTOR"), r.err());
    }

    @Test
    void a_selector_and_a_limit_together_are_refused() {
        PigRunner.Result r = PigRunner.run("node", "rm", "pg-test", "-l", "10.10.10.11", "-i", "/nonexistent/pigsty.yml");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("not both"), r.err());
    }
}
