package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Sudo wrapping, safe atomic upload and round-trip counting, shared by the SSH and local transports. */
abstract class AbstractTransport implements Transport {

    private final SshTarget target;
    private final AtomicInteger commands = new AtomicInteger();

    AbstractTransport(SshTarget target) {
        this.target = target;
    }

    @Override
    public SshTarget target() {
        return target;
    }

    @Override
    public final CommandResult run(String command, byte[] stdin, Duration timeout) {
        commands.incrementAndGet();
        String wrapped = target.needsSudo() && needsSudoWrapping()
                ? "sudo -n -- sh -c " + Shell.quote(command)
                : command;
        return exec(wrapped, stdin, timeout);
    }

    /** Whether this transport runs as a non-root user that must go through sudo. */
    boolean needsSudoWrapping() {
        return true;
    }

    /** Runs an already wrapped command. */
    abstract CommandResult exec(String command, byte[] stdin, Duration timeout);

    @Override
    public void upload(byte[] content, String path, String mode, String owner, String group, Duration timeout) {
        CommandResult r = run(SafeFs.upload(path, mode, owner, group), content, timeout);
        if (!r.ok()) {
            throw new HostException(PigException.Kind.FAILED, target.host(), "upload of " + path + " failed: " + r.tail(1));
        }
    }

    @Override
    public int commandCount() {
        return commands.get();
    }
}
