package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
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
        DefaultConfig cfg = new DefaultConfig();
        cfg.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient c = new SSHClient(cfg);
        HostKeyChecker checker = new HostKeyChecker(host, opts);
        c.addHostKeyVerifier(checker);
        int timeoutMs = (int) opts.connectTimeout().toMillis();
        c.setConnectTimeout(timeoutMs);
        c.getTransport().setTimeoutMs(timeoutMs);
        try {
            c.connect(host, target.port());
        } catch (IOException e) {
            closeQuietly(c);
            if (checker.refusal() != null) {
                throw new HostException(PigException.Kind.UNAVAILABLE, host, checker.refusal(), e);
            }
            throw new HostException(PigException.Kind.UNAVAILABLE, host, describe(e, target, opts), e);
        }
        if (!opts.keepAlive().isZero()) {
            c.getConnection().getKeepAlive().setKeepAliveInterval((int) Math.max(1, opts.keepAlive().toSeconds()));
        }
        List<Path> keyFiles = opts.keysFor(target);
        List<KeyProvider> keys = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path k : keyFiles) {
            try {
                keys.add(c.loadKeys(k.toString()));
            } catch (IOException | RuntimeException e) {
                // an encrypted key needs an agent or a passphrase, which pig does not ask for
                unreadable.add(k + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (keys.isEmpty()) {
            closeQuietly(c);
            String tried = opts.keysWanted(target).stream().map(Path::toString).collect(Collectors.joining(", "));
            throw new HostException(PigException.Kind.UNAVAILABLE, host, "no usable private key (tried "
                    + (unreadable.isEmpty() ? tried : String.join(", ", unreadable)) + ")");
        }
        try {
            c.authPublickey(target.user(), keys);
        } catch (UserAuthException e) {
            closeQuietly(c);
            String tried = keyFiles.stream().map(Path::toString).collect(Collectors.joining(", "));
            throw new HostException(PigException.Kind.UNAVAILABLE, host,
                    "authentication failed for user " + target.user() + " (keys: " + tried + ")", e);
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
