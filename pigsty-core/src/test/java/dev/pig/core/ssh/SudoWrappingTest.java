package dev.pig.core.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How commands reach the shell: through {@code sudo -n} only for a non-root user with become. */
class SudoWrappingTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** Records the command as the transport would send it. */
    static final class Recording extends AbstractTransport {
        final List<String> sent = new ArrayList<>();

        Recording(SshTarget t) {
            super(t);
        }

        @Override
        CommandResult exec(String command, byte[] stdin, Duration timeout) {
            sent.add(command);
            return new CommandResult(0, new byte[0], new byte[0]);
        }

        @Override
        public void close() {
        }
    }

    private static SshTarget as(String user, boolean become) {
        return new SshTarget("10.10.10.11", 22, user, List.<Path>of(), become, false);
    }

    @Test
    void a_non_root_user_runs_every_command_through_sudo_without_a_password_prompt() {
        Recording t = new Recording(as("dba", true));
        t.run("systemctl restart 'etcd.service' && echo \"done\"", null, T);
        assertEquals("sudo -n -- sh -c 'systemctl restart '\"'\"'etcd.service'\"'\"' && echo \"done\"'", t.sent.get(0));
    }

    @Test
    void uploads_of_a_non_root_user_go_through_sudo_too() {
        Recording t = new Recording(as("dba", true));
        t.upload("x\n".getBytes(StandardCharsets.UTF_8), "/etc/hosts", "0644", "root", "root", T);
        assertEquals(1, t.sent.size());
        assertTrue(t.sent.get(0).startsWith("sudo -n -- sh -c '# pig safefs"), t.sent.get(0));
        assertTrue(t.sent.get(0).endsWith("pig_put /etc hosts 0644 root root\n'"), t.sent.get(0));
    }

    @Test
    void root_and_become_false_run_commands_as_they_are() {
        Recording root = new Recording(as("root", true));
        root.run("id -u", null, T);
        Recording plain = new Recording(as("dba", false));
        plain.run("id -u", null, T);
        assertEquals(List.of("id -u"), root.sent);
        assertEquals(List.of("id -u"), plain.sent);
    }
}
