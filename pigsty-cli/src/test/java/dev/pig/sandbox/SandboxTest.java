package dev.pig.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;

class SandboxTest {
    static final List<SandboxHost> THREE = List.of(
            new SandboxHost("pg-test-1", "10.10.10.11"),
            new SandboxHost("pg-test-2", "10.10.10.12"),
            new SandboxHost("pg-test-3", "10.10.10.13"));

    @Test
    void parallel_keeps_the_order_of_the_nodes() {
        assertEquals(List.of("pg-test-1", "pg-test-2", "pg-test-3"), Sandbox.parallel(THREE, SandboxHost::name));
    }

    @Test
    void parallel_names_every_node_that_failed_after_all_have_finished() {
        ConcurrentLinkedQueue<String> finished = new ConcurrentLinkedQueue<>();
        PigException e = assertThrows(PigException.class, () -> Sandbox.parallel(THREE, h -> {
            finished.add(h.name());
            if (!h.name().equals("pg-test-2")) {
                throw new PigException(PigException.Kind.FAILED, "node " + h.name() + " did not come up");
            }
            return h;
        }));
        assertEquals(PigException.Kind.FAILED, e.kind());
        assertEquals("node pg-test-1 did not come up\nnode pg-test-3 did not come up", e.getMessage());
        assertEquals(3, finished.size());
    }

    @Test
    void a_nodes_files_are_where_the_sandbox_documentation_says() {
        SandboxLayout layout = new SandboxLayout(Path.of("/var/lib/pig/sandbox"), Path.of("/var/cache/pig/sandbox"),
                Path.of("/root/.pig"));
        SandboxHost h = THREE.get(0);
        assertEquals(Path.of("/var/lib/pig/sandbox/nodes/10.10.10.11/merged"), layout.merged(h));
        assertEquals(Path.of("/var/lib/pig/sandbox/nodes/10.10.10.11/nspawn.pid"), layout.nspawnPid(h));
        assertEquals(Path.of("/var/lib/pig/sandbox/nodes/10.10.10.11/console.log"), layout.console(h));
        assertEquals(Path.of("/var/lib/pig/sandbox/tinyproxy"), layout.proxyDir());
        assertEquals(Path.of("/root/.pig/sandbox/id_ed25519"), layout.key());
    }
}
