package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One SSH connection to one host (sshj), shared by every command of a run; each command gets its
 * own session channel, so several may run at once.
 */
public final class SshjTransport extends AbstractTransport {
    private static final Logger LOG = LoggerFactory.getLogger(SshjTransport.class);

    private final SSHClient client;

    /**
     * sshj's algorithms and factories, made once for every connection of the process: making them
     * tries each cipher, which costs more than the rest of a connection's setup on this side.
     */
    private static final class Shared {
        static final DefaultConfig CONFIG = config();

        private static DefaultConfig config() {
            DefaultConfig cfg = new DefaultConfig();
            cfg.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
            return cfg;
        }
    }

    private SshjTransport(SshTarget target, SSHClient client) {
        super(target);
        this.client = client;
    }

    /**
     * Connects and authenticates.
     *
     * @throws HostException with a one-line reason when the host cannot be reached, refuses the
     *                       keys or presents an unexpected host key
     */
    public static SshjTransport connect(SshTarget target, ConnectOptions opts) {
        String host = target.host();
        SSHClient c = new SSHClient(Shared.CONFIG);
        HostKeyChecker checker = new HostKeyChecker(host, opts);
        c.addHostKeyVerifier(checker);
        int timeoutMs = (int) opts.connectTimeout().toMillis();
        c.setConnectTimeout(timeoutMs);
        c.getTransport().setTimeoutMs(timeoutMs);
        // set before connect: sshj starts the keepalive thread at connect, and only when it has an interval
        if (!opts.keepAlive().isZero()) {
            KeepAlive ka = c.getConnection().getKeepAlive();
            ka.setKeepAliveInterval((int) Math.max(1, opts.keepAlive().toSeconds()));
            if (ka instanceof KeepAliveRunner runner) {
                runner.setMaxAliveCount(ConnectOptions.KEEP_ALIVE_MISSES);
            }
        }
        try {
            c.connect(host, target.port());
        } catch (IOException e) {
            closeQuietly(c);
            if (checker.refusal() != null) {
                throw new HostException(PigException.Kind.UNAVAILABLE, host, checker.refusal(), e);
            }
            throw new HostException(PigException.Kind.UNAVAILABLE, host, describe(e, target, opts), e);
        }
        List<Path> keyFiles = opts.keysFor(target);
        for (Path k : keyFiles) {
            unprotected(k).ifPresent(problem -> {
                closeQuietly(c);
                throw new HostException(PigException.Kind.UNAVAILABLE, host, problem);
            });
        }
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        String agentProblem = null;
        if (opts.agentSocket() != null) {
            SshAgent agent = new SshAgent(opts.agentSocket());
            try {
                for (SshAgent.Identity id : agent.identities()) {
                    methods.add(new AgentAuth(agent, id));
                    tried.add("agent key " + id.comment());
                }
            } catch (IOException | RuntimeException e) {
                agentProblem = "ssh-agent at " + opts.agentSocket() + " did not answer (" + oneLine(e) + ")";
            }
        }
        List<String> unreadable = new ArrayList<>();
        for (Path k : keyFiles) {
            try {
                KeyProvider kp = opts.keyPassphrase() == null ? c.loadKeys(k.toString())
                        : c.loadKeys(k.toString(), PasswordUtils.createOneOff(opts.keyPassphrase().reveal().toCharArray()));
                kp.getPrivate(); // decrypts now, so a missing or wrong passphrase is named here, not as a refused login
                methods.add(new AuthPublickey(kp));
                tried.add(k.toString());
            } catch (IOException | RuntimeException e) {
                unreadable.add(k + (encrypted(e) ? (opts.keyPassphrase() == null
                        ? " is encrypted: set PIG_SSH_KEY_PASSPHRASE to its passphrase, or add it to ssh-agent"
                        : " could not be decrypted with PIG_SSH_KEY_PASSPHRASE") : " (" + e.getClass().getSimpleName() + ")"));
            }
        }
        if (methods.isEmpty()) {
            closeQuietly(c);
            String wanted = opts.keysWanted(target).stream().map(Path::toString).collect(Collectors.joining(", "));
            throw new HostException(PigException.Kind.UNAVAILABLE, host, "no usable private key (tried "
                    + (unreadable.isEmpty() ? wanted : String.join("; ", unreadable)) + ")"
                    + (agentProblem != null ? "; " + agentProblem : opts.agentSocket() == null ? "; no ssh-agent (SSH_AUTH_SOCK)" : ""));
        }
        try {
            c.auth(target.user(), methods);
        } catch (UserAuthException e) {
            closeQuietly(c);
            throw new HostException(PigException.Kind.UNAVAILABLE, host,
                    "authentication failed for user " + target.user() + " (keys: " + String.join(", ", tried) + ")"
                            + (unreadable.isEmpty() ? "" : "; not usable: " + String.join("; ", unreadable)), e);
        } catch (IOException e) {
            closeQuietly(c);
            throw new HostException(PigException.Kind.UNAVAILABLE, host, describe(e, target, opts), e);
        }
        LOG.debug("{}: connected as {}", host, target.user());
        return new SshjTransport(target, c);
    }

    @Override
    CommandResult exec(String command, byte[] stdin, Duration timeout) {
        String host = target().host();
        Session session = null;
        Session.Command cmd = null;
        boolean timedOut = false;
        try {
            session = client.startSession();
            cmd = session.exec(command);
            Future<?> in = StreamPump.feed(cmd.getOutputStream(), stdin);
            Future<byte[]> out = StreamPump.drain(cmd.getInputStream());
            Future<byte[]> err = StreamPump.drain(cmd.getErrorStream());
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] o = out.get(remaining(deadline), TimeUnit.NANOSECONDS);
            byte[] e = err.get(remaining(deadline), TimeUnit.NANOSECONDS);
            in.get(remaining(deadline), TimeUnit.NANOSECONDS);
            cmd.join(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(remaining(deadline))) + 5, TimeUnit.SECONDS);
            Integer status = cmd.getExitStatus();
            return new CommandResult(status == null ? -1 : status, o, e);
        } catch (TimeoutException e) {
            timedOut = true;
            kill(cmd);
            throw new HostException(PigException.Kind.FAILED, host, "command timed out after " + timeout.toSeconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(PigException.Kind.FAILED, host, "interrupted");
        } catch (ExecutionException e) {
            throw lost(e.getCause() == null ? e : e.getCause());
        } catch (IOException e) {
            throw lost(e);
        } finally {
            if (session != null) {
                Session s = session;
                // closing waits for the server's close, which for a killed or timed-out command can
                // take as long as the command itself: let that happen off the caller's thread
                if (timedOut) {
                    StreamPump.background(() -> closeQuietly(s));
                } else {
                    closeQuietly(s);
                }
            }
        }
    }

    /** Stops a command that ran too long, so closing its channel does not wait for it to finish. */
    private static void kill(Session.Command cmd) {
        try {
            cmd.signal(Signal.KILL);
        } catch (IOException ignored) {
            // an old server without signal support: the close below still detaches us
        }
    }

    private HostException lost(Throwable e) {
        return new HostException(PigException.Kind.UNAVAILABLE, target().host(),
                client.isConnected() ? "command failed: " + oneLine(e) : "connection lost: " + oneLine(e), e);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the channel is gone either way
        }
    }

    private static void closeQuietly(SSHClient c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a dead connection may fail; nothing to do about it
        }
    }

    /**
     * Why a private key file must not be used: OpenSSH refuses a key that its group or others may
     * read or write, since anyone who can read it can log in as its owner.
     */
    static java.util.Optional<String> unprotected(Path key) {
        try {
            java.util.Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
            java.util.Set<PosixFilePermission> open = java.util.EnumSet.of(PosixFilePermission.GROUP_READ,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
            open.retainAll(perms);
            if (!open.isEmpty()) {
                return java.util.Optional.of("private key " + key + " is accessible by others (mode "
                        + PosixFilePermissions.toString(perms) + "); pig refuses it as OpenSSH does. Fix it with: chmod 600 " + key);
            }
        } catch (UnsupportedOperationException | IOException e) {
            return java.util.Optional.empty(); // not a POSIX file system, or unreadable: loading it will say so
        }
        return java.util.Optional.empty();
    }

    private static boolean encrypted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t.getClass().getSimpleName().contains("KeyDecryption") || m.contains("passphrase") || m.contains("password")
                    || m.contains("encrypted") || m.contains("decrypt")) {
                return true;
            }
        }
        return false;
    }

    /** One line saying why a connection failed, in the words an operator expects. */
    static String describe(Throwable e, SshTarget t, ConnectOptions opts) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused (port " + t.port() + ")";
            }
            if (c instanceof NoRouteToHostException) {
                return "no route to host (port " + t.port() + ")";
            }
            if (c instanceof UnknownHostException) {
                return "unknown host name";
            }
            if (c instanceof SocketTimeoutException) {
                return "connection timed out after " + opts.connectTimeout().toSeconds() + "s (port " + t.port() + ")";
            }
        }
        return "ssh connection failed (port " + t.port() + "): " + oneLine(e);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
