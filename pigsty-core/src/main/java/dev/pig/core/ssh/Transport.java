package dev.pig.core.ssh;

import java.time.Duration;

/**
 * Runs commands and writes files on one host. Commands run as root: through {@code sudo -n}
 * when the target asks for it. Implementations are thread safe; several commands may run at once.
 */
public interface Transport extends AutoCloseable {

    /** The target this transport reaches. */
    SshTarget target();

    /**
     * Runs {@code command} with {@code sh -c}, feeding {@code stdin} if not null.
     *
     * @throws HostException when the host cannot be reached or the command exceeds {@code timeout};
     *                       a non-zero exit is not an exception but a result
     */
    CommandResult run(String command, byte[] stdin, Duration timeout);

    /**
     * Writes {@code content} to {@code path} atomically: a temporary file in the same directory gets
     * the content, mode and owner, then is renamed over the path, so an interruption never leaves
     * a half-written file. Below a directory another user owns, the write is made as that user
     * ({@link SafeFs}).
     *
     * @param mode  octal mode such as {@code 0644}, or null to keep the default
     * @param owner user name, or null to keep the connecting user
     * @param group group name, or null
     */
    void upload(byte[] content, String path, String mode, String owner, String group, Duration timeout);

    /** A directory with its mode and owner, made as {@link SafeFs} says. */
    default void directory(String path, String mode, String owner, String group, Duration timeout) {
        CommandResult r = run(SafeFs.directory(path, mode, owner, group), null, timeout);
        if (!r.ok()) {
            throw new HostException(dev.pig.core.diag.PigException.Kind.FAILED, target().host(), "mkdir " + path + " failed: " + r.tail(1));
        }
    }

    /** A symbolic link {@code path -> linkTarget}, made as {@link SafeFs} says. */
    default void symlink(String path, String linkTarget, Duration timeout) {
        CommandResult r = run(SafeFs.symlink(path, linkTarget), null, timeout);
        if (!r.ok()) {
            throw new HostException(dev.pig.core.diag.PigException.Kind.FAILED, target().host(), "ln -s " + linkTarget + " " + path
                    + " failed: " + r.tail(1));
        }
    }

    /** How many commands (round trips) this transport has run so far. */
    int commandCount();

    @Override
    void close();
}
