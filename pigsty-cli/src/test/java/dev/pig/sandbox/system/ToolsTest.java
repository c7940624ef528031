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
    void the_output_files_have_no_name_left_when_the_tool_starts() {
        // a pig killed at any moment leaves no file behind: the names are gone before the tool
        // runs its first instruction (a name dropped after the start could be left by a kill in between)
        Tools.Result r = Tools.run(List.of("sh", "-c", "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2"), 30);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().strip().matches(".*/pig-sandbox-[^/]*\\.out \\(deleted\\)"), r.out());
        assertTrue(r.err().strip().matches(".*/pig-sandbox-[^/]*\\.err \\(deleted\\)"), r.err());
    }

    @Test
    void the_files_are_found_among_this_process_s_descriptors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path a = java.nio.file.Files.createFile(dir.resolve("a.out"));
        java.nio.file.Path b = java.nio.file.Files.createFile(dir.resolve("b.err"));
        try (java.nio.channels.FileChannel ca = java.nio.channels.FileChannel.open(a);
             java.nio.channels.FileChannel cb = java.nio.channels.FileChannel.open(b)) {
            java.util.Map<java.nio.file.Path, java.io.File> held = Tools.held(List.of(a, b));
            assertEquals(2, held.size(), held.toString());
            for (java.nio.file.Path f : List.of(a, b)) {
                assertTrue(held.get(f).getPath().matches("/proc/self/fd/\\d+"), held.toString());
                assertEquals(f.toRealPath(), java.nio.file.Files.readSymbolicLink(held.get(f).toPath()));
            }
        }
        // a file no descriptor holds is not found
        assertTrue(Tools.held(List.of(java.nio.file.Files.createFile(dir.resolve("c")))).isEmpty());
    }

    @Test
    void a_tool_that_outlives_its_timeout_is_stopped_and_says_so() {
        Tools.Result r = Tools.run(List.of("sh", "-c", "echo started; exec sleep 30"), 1);
        assertEquals(124, r.exit());
        assertEquals("started\n", r.out());
        assertTrue(r.err().startsWith("timed out after 1 s"), r.err());
    }
}
