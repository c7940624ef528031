package dev.pig.modules.node;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * The admin user's own ssh key pair on each host, and {@code node_admin_ssh_exchange}: every
 * host's public key authorized on every host of the run, so {@code dba} can hop between nodes.
 *
 * <pre>
 * node_admin_username: dba
 * node_admin_ssh_exchange: true
 * </pre>
 *
 * A host that has a key pair reports its public key with its facts. A host without one gets a
 * pair made by pig at plan time, so its public key is in the plan of every other host of the same
 * run: one deploy exchanges all keys, and the next one finds them in place and plans nothing. The
 * private key then travels only in the plan's upload over pig's SSH connection (a saved plan file
 * is mode 0600, like every plan holding secrets). Exchanged keys carry the comment
 * {@code user@host (pig ssh exchange)}, so a host whose key pair was made again has its old key
 * replaced everywhere, and nothing else in {@code authorized_keys} is touched.
 */
final class AdminKeys {
    static final String MARK = "(pig ssh exchange)";
    private final Function<String, SecureRandom> random;
    private final Map<String, SshKeys.Pair> made = new ConcurrentHashMap<>();
    private final java.nio.file.Path store;
    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE = java.nio.file.attribute.PosixFilePermissions
            .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    /** Whether {@link #store} was made (or found) by this run: asked once, not once per pair. */
    private volatile boolean storeMade;

    /** @param random the randomness of a new key pair, by the key's comment (tests make it repeatable) */
    AdminKeys(Function<String, SecureRandom> random) {
        this(random, null);
    }

    /**
     * @param store where a pair made for a host is kept (0600) until the host has it, so every plan
     *              before the apply plans the same pair and repeated plans are identical; null keeps
     *              them for this run only
     */
    AdminKeys(Function<String, SecureRandom> random, java.nio.file.Path store) {
        this.random = random;
        this.store = store;
    }

    /** Where pig keeps the admin key pairs it made and has not applied yet. */
    static java.nio.file.Path defaultStore() {
        return java.nio.file.Path.of(System.getProperty("user.home"), ".pig", "admin-keys");
    }

    static String privatePath(String user) {
        return "/home/" + user + "/.ssh/id_ed25519";
    }

    static String publicPath(String user) {
        return privatePath(user) + ".pub";
    }

    /** The key pair pig makes for a host without one; the same for every plan until the host has it. */
    SshKeys.Pair made(String host, String comment) {
        return made.computeIfAbsent(host, h -> stored(h, comment).orElseGet(() -> keep(h, comment,
                SshKeys.ed25519(comment, random.apply(comment)))));
    }

    /**
     * A kept pair is one file: its public key line, then the private key file as uploaded. One
     * file made per host, not three operations (a temporary file, a {@code .pub}, a rename): a
     * plan of a thousand new hosts makes a thousand files, and making a file is what costs there.
     */
    private java.nio.file.Path storeFile(String host, String comment) {
        return store.resolve((host + "_" + comment).replaceAll("[^A-Za-z0-9._@-]", "_") + ".pair");
    }

    /** The last line of a whole private key file. */
    private static final String END = "-----END OPENSSH PRIVATE KEY-----\n";

    private Optional<SshKeys.Pair> stored(String host, String comment) {
        if (store == null) {
            return Optional.empty();
        }
        try {
            return parse(java.nio.file.Files.readAllBytes(storeFile(host, comment)));
        } catch (java.io.IOException e) {
            // none, or unreadable: a new pair is made, and kept if it can be
            return Optional.empty();
        }
    }

    /** A kept pair, or empty when the file is not a whole one (a run stopped while writing it). */
    private static Optional<SshKeys.Pair> parse(byte[] kept) {
        String text = new String(kept, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        if (nl < 0 || !text.startsWith("ssh-") || !text.endsWith(END)) {
            return Optional.empty();
        }
        return Optional.of(new SshKeys.Pair(text.substring(0, nl), text.substring(nl + 1).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Kept one at a time: making files in one directory serializes on its lock anyway, and
     * threads that wait for it spin (on ext4, a plan of a thousand new hosts spent more CPU
     * waiting there than making the files).
     */
    private synchronized SshKeys.Pair keep(String host, String comment, SshKeys.Pair pair) {
        if (store == null) {
            return pair;
        }
        java.nio.file.Path f = storeFile(host, comment);
        byte[] content = (pair.publicLine() + "\n" + new String(pair.privateFile(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        try {
            if (!storeMade) {
                java.nio.file.Files.createDirectories(store, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                storeMade = true;
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                try (java.nio.channels.SeekableByteChannel c = java.nio.file.Files.newByteChannel(f, java.util.EnumSet.of(
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), PRIVATE)) {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
                    while (b.hasRemaining()) {
                        c.write(b);
                    }
                    return pair;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another pig run kept a pair for this host meanwhile: plan that one, as it will;
                    // a broken file (a run stopped while writing it) is replaced
                    Optional<SshKeys.Pair> theirs = parse(java.nio.file.Files.readAllBytes(f));
                    if (theirs.isPresent()) {
                        return theirs.get();
                    }
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // not kept: this run still plans it consistently, a later plan makes another
        }
        return pair;
    }

    /** Forgets a kept pair once the host has a key of its own. */
    private void forget(String host, String comment) {
        if (store == null) {
            return;
        }
        try {
            java.nio.file.Path f = storeFile(host, comment);
            java.nio.file.Files.deleteIfExists(f);
            // and a pair kept as two files (the private key and its .pub) by an earlier version
            String legacy = f.getFileName().toString().replaceFirst("\\.pair$", "");
            java.nio.file.Files.deleteIfExists(f.resolveSibling(legacy));
            java.nio.file.Files.deleteIfExists(f.resolveSibling(legacy + ".pub"));
        } catch (java.io.IOException e) {
            // left for the next plan to try again
        }
    }

    /**
     * The public key the host's admin user has once this run's plan is applied; empty when that
     * is not known yet (a private key without its {@code .pub}, restored by this run), or when the
     * host's facts do not cover the admin user (its NODE tasks are not part of this run).
     */
    Optional<String> publicKey(String host, HostFacts facts, String user, String comment) {
        String priv = privatePath(user);
        if (!facts.request().files().contains(priv) || !facts.request().fileContents().contains(publicPath(user))) {
            return Optional.empty();
        }
        if (!facts.file(priv).exists()) {
            return Optional.of(made(host, comment).publicLine());
        }
        forget(host, comment);
        FileState pub = facts.file(publicPath(user));
        if (!pub.exists() || pub.content() == null) {
            return Optional.empty();
        }
        return new String(pub.content(), StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> l.startsWith("ssh-") || l.startsWith("ecdsa-")).findFirst();
    }

    /** The line authorizing host's key: its type and key, and the exchange's own comment. */
    static String exchanged(String key, String user, String host) {
        String[] f = key.strip().split("\\s+");
        return f[0] + " " + (f.length > 1 ? f[1] : "") + " " + label(user, host) + " " + MARK;
    }

    static String label(String user, String host) {
        return user + "@" + host;
    }

    /** The key pair task of one host. */
    Task pair(String host, String user, String comment, String tag) {
        return new Pair(host, user, comment, tag);
    }

    private final class Pair implements Task {
        private final String host;
        private final String user;
        private final String comment;
        private final String tag;

        Pair(String host, String user, String comment, String tag) {
            this.host = host;
            this.user = user;
            this.comment = comment;
            this.tag = tag;
        }

        @Override
        public String name() {
            return "ssh key pair " + privatePath(user);
        }

        @Override
        public String tag() {
            return tag;
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.files(privatePath(user)).fileWithContent(publicPath(user));
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            String priv = privatePath(user);
            String pub = publicPath(user);
            FileState p = facts.file(priv);
            if (!p.exists()) {
                SshKeys.Pair k = made(host, comment);
                ctx.changed(priv);
                ctx.changed(pub);
                return new Change.Act(name(), tag, Action.CREATE, "ssh key pair " + priv + " for " + user + " (ed25519, made by pig)",
                        List.of(Step.Upload.of(priv, k.privateFile(), "0600", user, user),
                                Step.Upload.of(pub, (k.publicLine() + "\n").getBytes(StandardCharsets.UTF_8), "0644", user, user)), "");
            }
            if (p.type() != FileState.Type.FILE) {
                throw new PigException(PigException.Kind.FAILED, facts.host() + ": " + priv + " is a "
                        + p.type().name().toLowerCase() + ", not a private key");
            }
            FileState q = facts.file(pub);
            if (!q.exists() || q.content() == null || q.content().length == 0) {
                ctx.changed(pub);
                // as the user: the directory is theirs, and a root write there would follow a link they plant
                String restore = "cd / && setpriv --reuid=" + Shell.quote(user) + " --regid=\"$(id -g -- " + Shell.quote(user)
                        + ")\" --init-groups -- sh -c " + Shell.quote("umask 077 && ssh-keygen -y -f \"$1\" > \"$2.pig-new\" && chmod 0644"
                        + " \"$2.pig-new\" && mv -fT -- \"$2.pig-new\" \"$2\"") + " sh " + Shell.quote(priv) + " " + Shell.quote(pub);
                return new Change.Act(name(), tag, Action.UPDATE, "restore " + pub + " from " + priv,
                        List.of(Step.Exec.of(restore, ctx.masker())), "");
            }
            String key = new String(q.content(), StandardCharsets.UTF_8).strip().split("\\s+")[0];
            return new Change.NoOp(name(), tag, user + " has an ssh key pair (" + key + ", " + pub + ")");
        }
    }
}
