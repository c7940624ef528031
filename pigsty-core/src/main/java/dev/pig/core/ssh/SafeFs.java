package dev.pig.core.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The remote commands of the writes pig makes as root: a file, a directory, a link. pig runs as
 * root on hosts where other users own some of the directories it writes into ({@code /etc/patroni}
 * and {@code /pg/bin} belong to the dbsu), and a path write as root in such a directory follows
 * whatever link that user plants there. So each write first finds, on the host, who may change
 * the directory: root alone (the directory and every one above it belong to root and no one else
 * may write in them, or they are sticky) and the write is made as root; otherwise the one user
 * who owns part of that chain, and the write is made as that user, so it can reach nothing that
 * user could not. An entry that should belong to root (or to a third user) inside a user's
 * directory is refused with the reason. The shell functions are in {@code safefs.sh}.
 *
 * <pre>{@code
 * transport.run(SafeFs.directory("/pg/data", "0700", "postgres", "postgres"), null, timeout);
 * }</pre>
 */
public final class SafeFs {
    private static final String LIBRARY = load();

    private SafeFs() {
    }

    /** Writes stdin to {@code path} atomically with its mode and owner. */
    public static String upload(String path, String mode, String owner, String group) {
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("/") || slash == path.length() - 1) {
            throw new IllegalArgumentException("upload needs an absolute file path: " + path);
        }
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        return call("pig_put", dir, path.substring(slash + 1), mode == null ? "0644" : mode, owner == null ? "root" : owner,
                group == null ? (owner == null ? "root" : owner) : group);
    }

    /** A directory like {@code mkdir -p}, then its mode and owner. */
    public static String directory(String path, String mode, String owner, String group) {
        absolute(path);
        return call("pig_mkdir", path, mode, owner, group);
    }

    /** {@code path} as a symbolic link to {@code target}. */
    public static String symlink(String path, String target) {
        absolute(path);
        return call("pig_ln", path, target);
    }

    private static void absolute(String path) {
        if (!path.startsWith("/") || path.equals("/")) {
            throw new IllegalArgumentException("an absolute path below / is needed: " + path);
        }
    }

    private static String call(String function, String... args) {
        for (String a : args) {
            if (a.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException(function + ": a control character in " + Shell.quote(a));
            }
        }
        return LIBRARY + "\n" + function + " " + Shell.join(List.of(args)) + "\n";
    }

    private static String load() {
        try (InputStream in = SafeFs.class.getResourceAsStream("safefs.sh")) {
            if (in == null) {
                throw new IllegalStateException("safefs.sh missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
