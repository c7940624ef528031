package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands on this machine with {@code sh -c}, for {@code connection: local} installs and for
 * tests. Goes through {@code sudo -n} like the SSH transport when pig itself does not run as root.
 */
public final class LocalTransport extends AbstractTransport {

    public LocalTransport(SshTarget target) {
        super(target);
    }

    @Override
    CommandResult exec(String command, byte[] stdin, Duration timeout) {
        String host = target().host();
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command).start();
        } catch (IOException e) {
            throw new HostException(PigException.Kind.UNAVAILABLE, host, "cannot start sh: " + e.getMessage(), e);
        }
        Future<?> in = StreamPump.feed(p.getOutputStream(), stdin);
        Future<byte[]> out = StreamPump.drain(p.getInputStream());
        Future<byte[]> err = StreamPump.drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new HostException(PigException.Kind.FAILED, host,
                        "command timed out after " + timeout.toSeconds() + "s");
            }
            in.get(5, TimeUnit.SECONDS);
            return new CommandResult(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostException(PigException.Kind.FAILED, host, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new HostException(PigException.Kind.FAILED, host, "command i/o failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // nothing held open
    }
}
