package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Sudo wrapping, atomic upload and round-trip counting, shared by the SSH and local transports. */
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
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("/") || slash == path.length() - 1) {
            throw new IllegalArgumentException("upload needs an absolute file path: " + path);
        }
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        // the temp file lives next to the target so the final mv is a rename on the same file
        // system; the trap removes it if any step before the rename fails
        StringBuilder sh = new StringBuilder();
        sh.append("set -e; umask 077; ")
                .append("tmp=$(mktemp ").append(Shell.quote(dir + "/.pig.XXXXXX")).append("); ")
                .append("trap 'rm -f \"$tmp\"' EXIT; ")
                .append("cat > \"$tmp\"; ");
        sh.append("chmod ").append(Shell.quote(mode == null ? "0644" : mode)).append(" \"$tmp\"; ");
        if (owner != null || group != null) {
            String og = (owner == null ? "" : owner) + (group == null ? "" : ":" + group);
            sh.append("chown ").append(Shell.quote(og)).append(" \"$tmp\"; ");
        }
        sh.append("mv -f \"$tmp\" ").append(Shell.quote(path)).append("; trap - EXIT");
        CommandResult r = run(sh.toString(), content, timeout);
        if (!r.ok()) {
            throw new HostException(PigException.Kind.FAILED, target.host(),
                    "upload of " + path + " failed: " + r.tail(1));
        }
    }

    @Override
    public int commandCount() {
        return commands.get();
    }
}
