package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalTransportTest {

    private static final Duration T = Duration.ofSeconds(20);
    private final LocalTransport local = new LocalTransport(
            new SshTarget("local", 22, "root", java.util.List.of(), false, true));

    @TempDir
    Path dir;

    @Test
    void returns_exit_code_stdout_and_stderr() {
        CommandResult r = local.run("echo out; echo err >&2; exit 3", null, T);
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
    }

    @Test
    void feeds_stdin_to_the_command() {
        CommandResult r = local.run("sh -s", "echo from-stdin".getBytes(StandardCharsets.UTF_8), T);
        assertEquals("from-stdin\n", r.out());
    }

    @Test
    void survives_output_larger_than_a_pipe_buffer_on_both_streams() {
        CommandResult r = local.run("head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2", null, T);
        assertEquals(300000, r.stdout().length);
        assertEquals(300000, r.stderr().length);
    }

    @Test
    void fails_with_a_host_error_when_the_command_times_out() {
        HostException e = assertThrows(HostException.class, () -> local.run("sleep 5", null, Duration.ofMillis(300)));
        assertEquals("local: command timed out after 0s", e.getMessage());
        assertEquals(PigException.Kind.FAILED, e.kind());
    }

    @Test
    void uploads_with_mode_and_leaves_no_temp_file() throws Exception {
        Path f = dir.resolve("hosts");
        byte[] content = "127.0.0.1 localhost\n".getBytes(StandardCharsets.UTF_8);
        local.upload(content, f.toString(), "0640", null, null, T);
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void leaves_the_old_file_intact_when_an_upload_fails() throws Exception {
        Path f = dir.resolve("conf");
        Files.writeString(f, "old\n");
        assertThrows(HostException.class,
                () -> local.upload("new\n".getBytes(StandardCharsets.UTF_8), f.toString(), "0644", "no-such-user-pig", null, T));
        assertEquals("old\n", Files.readString(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void counts_every_command_as_a_round_trip() {
        int before = local.commandCount();
        local.run("true", null, T);
        local.upload(new byte[0], dir.resolve("x").toString(), null, null, null, T);
        assertEquals(before + 2, local.commandCount());
        assertTrue(local.commandCount() >= 2);
    }
}
