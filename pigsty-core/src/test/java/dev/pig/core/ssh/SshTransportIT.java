package dev.pig.core.ssh;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SshTransportIT {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestSshd sshd;

    @BeforeEach
    void start() throws Exception {
        sshd = TestSshd.start(dir.resolve("sshd"));
    }

    @AfterEach
    void stop() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void runs_commands_with_stdin_over_one_reused_connection() {
        try (Connections pool = new Connections(sshd.options(HostKeyPolicy.ACCEPT_NEW))) {
            Transport t = pool.get(sshd.target());
            CommandResult r = t.run("sh -s", "echo hi; id -un; echo oops >&2; exit 4".getBytes(StandardCharsets.UTF_8), T);
            assertEquals(4, r.exitCode());
            assertEquals("hi\nroot\n", r.out());
            assertEquals("oops\n", r.err());
            assertTrue(pool.get(sshd.target()) == t, "the pool reuses the connection");
            assertEquals(1, pool.roundTrips().get("127.0.0.1"));
        }
    }

    @Test
    void runs_several_commands_at_once_on_one_connection() throws Exception {
        try (Connections pool = new Connections(sshd.options(HostKeyPolicy.ACCEPT_NEW))) {
            Transport t = pool.get(sshd.target());
            ExecutorService ex = Executors.newFixedThreadPool(8);
            List<Future<CommandResult>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                fs.add(ex.submit(() -> t.run("sleep 0.2; echo " + n, null, T)));
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(i + "\n", fs.get(i).get().out());
            }
            ex.shutdown();
        }
    }

    @Test
    void a_host_that_stops_answering_fails_its_running_command_after_the_missed_keepalives() throws Exception {
        try (SshjTransport t = SshjTransport.connect(sshd.target(), sshd.options(HostKeyPolicy.ACCEPT_NEW).withKeepAlive(Duration.ofSeconds(1)))) {
            // the sshd process that serves this connection: the parent of the command's shell
            String server = t.run("echo $PPID", null, T).out().strip();
            ExecutorService ex = Executors.newSingleThreadExecutor();
            Future<CommandResult> sleeping = ex.submit(() -> t.run("sleep 120", null, Duration.ofSeconds(300)));
            Thread.sleep(500);
            // frozen, as a host that lost power: the TCP connection stays open and nothing answers
            new ProcessBuilder("kill", "-STOP", server).inheritIO().start().waitFor();
            long t0 = System.nanoTime();
            try {
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> sleeping.get(30, java.util.concurrent.TimeUnit.SECONDS));
                double after = (System.nanoTime() - t0) / 1e9;
                assertTrue(e.getCause() instanceof HostException, String.valueOf(e.getCause()));
                assertTrue(after <= ConnectOptions.KEEP_ALIVE_MISSES + 3, "given up after " + after + " s");
            } finally {
                new ProcessBuilder("kill", "-KILL", server).inheritIO().start().waitFor();
                ex.shutdownNow();
            }
        }
    }

    @Test
    void uploads_atomically_over_ssh() throws Exception {
        Path f = dir.resolve("motd");
        try (Connections pool = new Connections(sshd.options(HostKeyPolicy.ACCEPT_NEW))) {
            pool.get(sshd.target()).upload("hello\n".getBytes(StandardCharsets.UTF_8), f.toString(), "0600", "root", "root", T);
        }
        assertEquals("hello\n", Files.readString(f));
    }

    @Test
    void records_an_unknown_key_under_accept_new_and_accepts_it_next_time() throws Exception {
        ConnectOptions o = sshd.options(HostKeyPolicy.ACCEPT_NEW);
        SshjTransport.connect(sshd.target(), o).close();
        String recorded = Files.readString(o.pigKnownHosts());
        assertTrue(recorded.startsWith("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 "), recorded);
        SshjTransport.connect(sshd.target(), o.withHostKeyPolicy(HostKeyPolicy.STRICT)).close();
        assertEquals(recorded, Files.readString(o.pigKnownHosts()), "nothing appended for a known key");
    }

    @Test
    void refuses_an_unknown_key_under_strict() {
        HostException e = assertThrows(HostException.class,
                () -> SshjTransport.connect(sshd.target(), sshd.options(HostKeyPolicy.STRICT)));
        assertTrue(e.getMessage().startsWith("127.0.0.1: unknown host key (ssh-ed25519 SHA256:"), e.getMessage());
    }

    @Test
    void refuses_a_changed_key_under_accept_new_and_strict_naming_the_line_to_remove() throws Exception {
        ConnectOptions o = sshd.options(HostKeyPolicy.ACCEPT_NEW);
        SshjTransport.connect(sshd.target(), o).close();
        sshd.changeHostKey();
        for (HostKeyPolicy p : List.of(HostKeyPolicy.ACCEPT_NEW, HostKeyPolicy.STRICT)) {
            HostException e = assertThrows(HostException.class,
                    () -> SshjTransport.connect(sshd.target(), o.withHostKeyPolicy(p)));
            assertTrue(e.getMessage().startsWith("127.0.0.1: host key CHANGED (ssh-ed25519 SHA256:"), e.getMessage());
            assertTrue(e.getMessage().endsWith("remove line 1 of " + o.pigKnownHosts() + " and retry"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        SshjTransport.connect(sshd.target(), o.withHostKeyPolicy(HostKeyPolicy.OFF)).close();
    }

    @Test
    void authenticates_with_an_rsa_key() throws Exception {
        Path rsa = sshd.rsaClientKey();
        try (SshjTransport t = SshjTransport.connect(sshd.target().withPrivateKeys(List.of(rsa)), sshd.options(HostKeyPolicy.ACCEPT_NEW))) {
            assertEquals("root\n", t.run("id -un", null, T).out());
        }
    }

    @Test
    void policy_off_accepts_any_key_and_records_none() throws Exception {
        ConnectOptions o = sshd.options(HostKeyPolicy.OFF);
        try (SshjTransport t = SshjTransport.connect(sshd.target(), o)) {
            assertEquals("ok\n", t.run("echo ok", null, T).out());
        }
        assertFalse(Files.exists(o.pigKnownHosts()), "off records nothing");
        sshd.changeHostKey();
        SshjTransport.connect(sshd.target(), o).close();
        assertFalse(Files.exists(o.pigKnownHosts()));
    }

    @Test
    void reports_a_closed_port_in_one_line() throws Exception {
        int dead = TestSshd.freePort();
        HostException e = assertThrows(HostException.class,
                () -> SshjTransport.connect(sshd.target().withPort(dead), sshd.options(HostKeyPolicy.ACCEPT_NEW)));
        assertEquals("127.0.0.1: connection refused (port " + dead + ")", e.getMessage());
    }

    @Test
    void reports_a_refused_key_in_one_line() throws Exception {
        Path other = dir.resolve("other_key");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", other.toString()).start();
        assertEquals(0, p.waitFor());
        HostException e = assertThrows(HostException.class,
                () -> SshjTransport.connect(sshd.target().withPrivateKeys(List.of(other)), sshd.options(HostKeyPolicy.ACCEPT_NEW)));
        assertEquals("127.0.0.1: authentication failed for user root (keys: " + other + ")", e.getMessage());
    }

    @Test
    void times_out_a_slow_command_without_losing_the_connection() {
        try (Connections pool = new Connections(sshd.options(HostKeyPolicy.ACCEPT_NEW))) {
            Transport t = pool.get(sshd.target());
            HostException e = assertThrows(HostException.class, () -> t.run("sleep 10", null, Duration.ofSeconds(1)));
            assertEquals("127.0.0.1: command timed out after 1s", e.getMessage());
            assertEquals("ok\n", t.run("echo ok", null, T).out());
        }
    }

    // ---- host keys: another type, @revoked

    @Test
    void refuses_a_known_host_offering_a_key_of_another_type_under_accept_new_and_records_nothing() throws Exception {
        ConnectOptions o = sshd.options(HostKeyPolicy.ACCEPT_NEW);
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String known = "[127.0.0.1]:" + sshd.port() + " ssh-rsa " + KnownHosts.blob(g.generateKeyPair().getPublic()) + "\n";
        Files.createDirectories(o.pigKnownHosts().getParent());
        Files.writeString(o.pigKnownHosts(), known);
        HostException e = assertThrows(HostException.class, () -> SshjTransport.connect(sshd.target(), o));
        assertTrue(e.getMessage().startsWith("127.0.0.1: host key of another type (ssh-ed25519 SHA256:"), e.getMessage());
        assertTrue(e.getMessage().contains("than the ssh-rsa key known on line 1 of " + o.pigKnownHosts()), e.getMessage());
        assertEquals(known, Files.readString(o.pigKnownHosts()), "the other key is not recorded");
    }

    @Test
    void refuses_a_revoked_key_even_when_it_is_recorded() throws Exception {
        ConnectOptions o = sshd.options(HostKeyPolicy.ACCEPT_NEW);
        SshjTransport.connect(sshd.target(), o).close();
        String key = Files.readString(o.pigKnownHosts()).strip().split(" ")[2];
        Files.createDirectories(o.userKnownHosts().getParent());
        Files.writeString(o.userKnownHosts(), "# revoked after a leak\n@revoked * ssh-ed25519 " + key + "\n");
        HostException e = assertThrows(HostException.class, () -> SshjTransport.connect(sshd.target(), o));
        assertTrue(e.getMessage().contains("is REVOKED (@revoked on line 2 of " + o.userKnownHosts() + ")"), e.getMessage());
    }

    // ---- client keys: permissions, passphrases, ssh-agent

    private Path keygen(String name, String type, String passphrase) throws Exception {
        Path key = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name, "-f", key.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        Files.writeString(dir.resolve("sshd/authorized_keys"), Files.readString(Path.of(key + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        return key;
    }

    @Test
    void refuses_a_private_key_others_can_read_with_the_fix() throws Exception {
        Path key = keygen("open_key", "ed25519", "");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        HostException e = assertThrows(HostException.class, () -> SshjTransport.connect(sshd.target().withPrivateKeys(List.of(key)),
                sshd.options(HostKeyPolicy.ACCEPT_NEW)));
        assertTrue(e.getMessage().contains("private key " + key + " is accessible by others (mode rw-r--r--)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Fix it with: chmod 600 " + key), e.getMessage());
    }

    @Test
    void authenticates_with_a_passphrase_protected_key_given_its_passphrase() throws Exception {
        Path key = keygen("locked_key", "ed25519", "correct horse");
        SshTarget t = sshd.target().withPrivateKeys(List.of(key));
        ConnectOptions o = sshd.options(HostKeyPolicy.ACCEPT_NEW);
        try (SshjTransport s = SshjTransport.connect(t, o.withKeyPassphrase(new dev.pig.core.model.Secret("correct horse")))) {
            assertEquals("root\n", s.run("id -un", null, T).out());
        }
        HostException none = assertThrows(HostException.class, () -> SshjTransport.connect(t, o));
        assertTrue(none.getMessage().contains(key + " is encrypted: set PIG_SSH_KEY_PASSPHRASE"), none.getMessage());
        HostException wrong = assertThrows(HostException.class,
                () -> SshjTransport.connect(t, o.withKeyPassphrase(new dev.pig.core.model.Secret("wrong"))));
        assertTrue(wrong.getMessage().contains(key + " could not be decrypted with PIG_SSH_KEY_PASSPHRASE"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("wrong"), "the passphrase is not shown: " + wrong.getMessage());
    }

    @Test
    void authenticates_through_ssh_agent_with_ed25519_and_rsa_keys() throws Exception {
        Path ed = keygen("agent_ed25519", "ed25519", "");
        Path rsa = keygen("agent_rsa", "rsa", "");
        Path sock = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            // a target without key files: only the agent can log in
            SshTarget t = sshd.target().withPrivateKeys(List.of(dir.resolve("no-such-key")));
            ConnectOptions o = sshd.options(HostKeyPolicy.ACCEPT_NEW).withAgent(sock);
            for (Path key : List.of(rsa, ed)) {
                ProcessBuilder add = new ProcessBuilder("ssh-add", "-D");
                add.environment().put("SSH_AUTH_SOCK", sock.toString());
                assertEquals(0, add.start().waitFor());
                add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
                add.environment().put("SSH_AUTH_SOCK", sock.toString());
                Process p = add.start();
                assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
                try (SshjTransport s = SshjTransport.connect(t, o)) {
                    assertEquals("root\n", s.run("id -un", null, T).out(), key.toString());
                }
            }
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }
}
