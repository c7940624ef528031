package dev.pig.sandbox.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ToolsTest {

    @Test
    void a_tool_s_output_exit_and_errors_are_captured() {
        Tools.Result r = Tools.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), 30);
        assertEquals(3, r.exit());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
    }

    @Test
    void the_output_files_have_no_name_left_while_the_tool_runs() {
        // a pig stopped while a tool runs leaves no file behind: the names are gone already
        Tools.Result r = Tools.run(List.of("sh", "-c", "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2"), 30);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().strip().matches(".*/pig-sandbox-[^/]*\\.out \\(deleted\\)"), r.out());
        assertTrue(r.err().strip().matches(".*/pig-sandbox-[^/]*\\.err \\(deleted\\)"), r.err());
    }

    @Test
    void a_tool_that_outlives_its_timeout_is_stopped_and_says_so() {
        Tools.Result r = Tools.run(List.of("sh", "-c", "echo started; exec sleep 30"), 1);
        assertEquals(124, r.exit());
        assertEquals("started\n", r.out());
        assertTrue(r.err().startsWith("timed out after 1 s"), r.err());
    }
}
