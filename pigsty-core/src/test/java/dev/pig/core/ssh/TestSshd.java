package dev.pig.core.ssh;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private sshd on 127.0.0.1 and a free port, with its own host key and an authorized ed25519
 * client key, started from a test and killed in its teardown. Never touches the system ssh service.
 */
public final class TestSshd implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;
    private Process process;

    private TestSshd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test unless we are root and sshd is installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run sshd");
        Assumptions.assumeTrue(Files.isExecutable(SSHD), "openssh-server is not installed");
    }

    public static TestSshd start(Path dir) throws Exception {
        assumeAvailable();
        Files.createDirectories(dir);
        keygen(dir.resolve("host_ed25519"));
        keygen(dir.resolve("id_ed25519"));
        Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        TestSshd d = new TestSshd(dir, freePort());
        d.launch();
        return d;
    }

    public int port() {
        return port;
    }

    public Path clientKey() {
        return dir.resolve("id_ed25519");
    }

    /** An RSA client key, made and authorized on first use. */
    public Path rsaClientKey() throws Exception {
        Path key = dir.resolve("id_rsa");
        if (!Files.exists(key)) {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-C", "pig-test", "-f", key.toString())
                    .redirectErrorStream(true).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
            }
            Files.writeString(dir.resolve("authorized_keys"), Files.readString(dir.resolve("id_rsa.pub")),
                    java.nio.file.StandardOpenOption.APPEND);
        }
        return key;
    }

    public SshTarget target() {
        return new SshTarget("127.0.0.1", port, "root", List.of(clientKey()), true, false);
    }

    /** Options that keep known_hosts inside the test directory instead of the real home. */
    public ConnectOptions options(HostKeyPolicy policy) {
        return new ConnectOptions(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(5), policy,
                dir.resolve("home/.ssh/known_hosts"), dir.resolve("home/.pig/known_hosts"), List.of(clientKey()));
    }

    /** Restarts with a fresh host key, as if the machine had been reinstalled. */
    public void changeHostKey() throws Exception {
        stop();
        Files.delete(dir.resolve("host_ed25519"));
        Files.delete(dir.resolve("host_ed25519.pub"));
        keygen(dir.resolve("host_ed25519"));
        launch();
    }

    private void launch() throws Exception {
        Path run = Path.of("/run/sshd");
        if (!Files.isDirectory(run)) {
            Files.createDirectories(run); // privilege separation directory sshd insists on
        }
        Path cfg = dir.resolve("sshd_config");
        Files.writeString(cfg, String.join("\n",
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "MaxSessions 50",
                "MaxStartups 50",
                "LogLevel ERROR",
                ""));
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", cfg.toString(), "-p", String.valueOf(port),
                "-o", "ListenAddress=127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("sshd did not listen on port " + port);
    }

    private void stop() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void keygen(Path key) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pig-test", "-f", key.toString())
                .redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }
}
