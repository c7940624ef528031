package dev.pig.core.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * The known_hosts of a run: the user's OpenSSH file (read only) and pig's own (where accepted
 * keys are appended), each read and indexed once and shared by every connection, thread safe.
 * Lines and keys are parsed by sshj's OpenSSH support (markers, key types, the old RSA form),
 * which also checks host certificates against {@code @cert-authority} keys. pig keeps the file
 * and line of each entry, so a refusal names the line to remove; matches host names itself
 * ({@link HostPatterns}: plain and hashed names, {@code [host]:port}, wildcards, negations); and
 * decides what sshj's verifier leaves open: a {@code @revoked} key is refused even when another
 * line lists it, and a known host offering a key of another type is refused, not taken for a
 * new host.
 */
final class KnownHosts {
    /** A file's entries, by file, reloaded only when someone else changed the file. */
    private static final Map<Path, Loaded> CACHE = new ConcurrentHashMap<>();

    /** One key line, where it was written. {@code marker} is {@code @revoked}, {@code @cert-authority} or empty. */
    record Entry(Path file, int line, String marker, String keyType, String key, HostPatterns hosts,
                 OpenSSHKnownHosts.KnownHostEntry parsed) {
        boolean appliesTo(String hostToken) {
            return hosts.matches(hostToken);
        }
    }

    /**
     * The host field of a line, compiled once when the file is read. Matched here rather than by
     * sshj's matchers, which take {@code !a,b} to match every host but {@code a} (OpenSSH: a
     * negated pattern that matches rejects the line) and share one HMAC between threads for
     * hashed names.
     */
    static final class HostPatterns {
        private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
            try {
                return Mac.getInstance("HmacSHA1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        private final byte[] salt;
        private final byte[] hash;
        private final List<Pattern> positive = new ArrayList<>();
        private final List<Pattern> negative = new ArrayList<>();
        /** The names, when the field is plain names only (no hash, wildcard or negation): then an index finds it. */
        private final List<String> literal = new ArrayList<>();

        HostPatterns(String field) {
            if (field.startsWith("|1|")) {
                String[] p = field.split("\\|");
                byte[] s = null;
                byte[] h = null;
                if (p.length == 4) {
                    try {
                        s = Base64.getDecoder().decode(p[2]);
                        h = Base64.getDecoder().decode(p[3]);
                    } catch (IllegalArgumentException e) {
                        s = null;
                    }
                }
                salt = s;
                hash = h;
                return;
            }
            salt = null;
            hash = null;
            boolean plain = true;
            for (String pattern : field.split(",")) {
                boolean negated = pattern.startsWith("!");
                (negated ? negative : positive).add(glob(negated ? pattern.substring(1) : pattern));
                plain &= !negated && pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
                literal.add(pattern.toLowerCase(java.util.Locale.ROOT));
            }
            if (!plain) {
                literal.clear();
            }
        }

        /** The plain names of the field, or empty when it must be matched pattern by pattern. */
        List<String> literalNames() {
            return literal;
        }

        boolean matches(String hostToken) {
            if (salt != null) {
                try {
                    Mac mac = HMAC.get();
                    mac.init(new SecretKeySpec(salt, "HmacSHA1"));
                    return MessageDigest.isEqual(hash, mac.doFinal(hostToken.getBytes(StandardCharsets.UTF_8)));
                } catch (java.security.InvalidKeyException e) {
                    return false;
                }
            }
            for (Pattern p : negative) {
                if (p.matcher(hostToken).matches()) {
                    return false;
                }
            }
            for (Pattern p : positive) {
                if (p.matcher(hostToken).matches()) {
                    return true;
                }
            }
            return false;
        }

        private static Pattern glob(String p) {
            StringBuilder re = new StringBuilder();
            for (char c : p.toCharArray()) {
                switch (c) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
        }
    }

    /** What the files say about a host's key. */
    sealed interface Verdict {
        /** A line lists this key for this host (or its CA signed it). */
        record Known(Entry entry) implements Verdict {
        }

        /** A {@code @revoked} line lists this key. */
        record Revoked(Entry entry) implements Verdict {
        }

        /** The host is known with another key of the same type. */
        record Changed(Entry entry) implements Verdict {
        }

        /** The host is known, but only with keys of other types. */
        record OtherType(Entry entry) implements Verdict {
        }

        /** Nothing is known about the host. */
        record Unknown() implements Verdict {
        }
    }

    /** A file's entries, indexed: plain names by name, the rest (hashed, wildcards, negations) to scan. */
    private record Loaded(FileTime modified, long size, List<Entry> entries, Map<String, List<Entry>> byName, List<Entry> scan) {
        static Loaded of(FileTime modified, long size, List<Entry> entries) {
            Map<String, List<Entry>> byName = new java.util.HashMap<>();
            List<Entry> scan = new ArrayList<>();
            for (Entry e : entries) {
                List<String> names = e.hosts().literalNames();
                if (names.isEmpty()) {
                    scan.add(e);
                }
                for (String n : names) {
                    byName.computeIfAbsent(n, k -> new ArrayList<>()).add(e);
                }
            }
            return new Loaded(modified, size, List.copyOf(entries), byName, List.copyOf(scan));
        }

        /** The entries that may apply to a host, in file order. */
        List<Entry> candidates(String token) {
            List<Entry> named = byName.getOrDefault(token, List.of());
            if (scan.isEmpty()) {
                return named;
            }
            List<Entry> out = new ArrayList<>(named);
            out.addAll(scan);
            out.sort(java.util.Comparator.comparingInt(Entry::line));
            return out;
        }
    }

    private final Path userFile;
    private final Path pigFile;

    private KnownHosts(Path userFile, Path pigFile) {
        this.userFile = userFile;
        this.pigFile = pigFile;
    }

    /** The files of a run; reading happens on first use, once per file. */
    static KnownHosts of(Path userFile, Path pigFile) {
        return new KnownHosts(userFile, pigFile);
    }

    /** The name a host has in known_hosts: bare for port 22, {@code [host]:port} otherwise. */
    static String hostToken(String host, int port) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return port == 22 ? h : "[" + h + "]:" + port;
    }

    /** Every entry of both files, the user's first. */
    List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>(load(userFile).entries());
        out.addAll(load(pigFile).entries());
        return out;
    }

    /** The entries of both files that may apply to a host token, from the index. */
    private List<Entry> candidates(String token) throws IOException {
        List<Entry> out = new ArrayList<>(load(userFile).candidates(token));
        out.addAll(load(pigFile).candidates(token));
        return out;
    }

    /** Looks up a host's key. */
    Verdict check(String host, int port, PublicKey key) throws IOException {
        String token = hostToken(host, port);
        String blob = blob(key);
        KeyType type = KeyType.fromKey(key);
        List<Entry> all = candidates(token);
        for (Entry e : all) {
            if (e.marker().equals("@revoked") && e.key().equals(blob) && e.appliesTo(token)) {
                return new Verdict.Revoked(e);
            }
        }
        Entry sameType = null;
        Entry otherType = null;
        for (Entry e : all) {
            if (e.marker().equals("@revoked") || !e.appliesTo(token)) {
                continue;
            }
            if (e.marker().equals("@cert-authority")) {
                if (type.getParent() != null && verifies(e, key)) {
                    return new Verdict.Known(e);
                }
                continue;
            }
            if (e.keyType().equals(type.toString())) {
                if (e.key().equals(blob)) {
                    return new Verdict.Known(e);
                }
                sameType = sameType == null ? e : sameType;
            } else if (otherType == null) {
                otherType = e;
            }
        }
        if (sameType != null) {
            return new Verdict.Changed(sameType);
        }
        return otherType != null ? new Verdict.OtherType(otherType) : new Verdict.Unknown();
    }

    /** The key types known for a host, for the server to offer first. */
    List<String> knownTypes(String host, int port) throws IOException {
        String token = hostToken(host, port);
        List<String> out = new ArrayList<>();
        for (Entry e : candidates(token)) {
            if (!e.marker().isEmpty() || !e.appliesTo(token)) {
                continue;
            }
            if (e.keyType().equals("ssh-rsa")) {
                out.add("rsa-sha2-512");
                out.add("rsa-sha2-256");
            }
            out.add(e.keyType());
        }
        return out.stream().distinct().toList();
    }

    /** Appends a key to pig's file, and to the run's index, so the next connection knows it. */
    void record(String host, int port, PublicKey key) throws IOException {
        synchronized (KnownHosts.class) {
            Path dir = pigFile.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                dir.toFile().setReadable(false, false);
                dir.toFile().setReadable(true, true);
                dir.toFile().setExecutable(false, false);
                dir.toFile().setExecutable(true, true);
            }
            List<Entry> before = load(pigFile).entries();
            String line = hostToken(host, port) + " " + KeyType.fromKey(key) + " " + blob(key);
            List<String> lines = Files.isRegularFile(pigFile) ? Files.readAllLines(pigFile, StandardCharsets.UTF_8) : List.of();
            // a file edited by hand may lack its last newline: never glue the new line onto it
            boolean joined = Files.isRegularFile(pigFile) && Files.size(pigFile) > 0 && !endsWithNewline(pigFile);
            Files.writeString(pigFile, (joined ? "\n" : "") + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<Entry> after = new ArrayList<>(before);
            after.addAll(parse(pigFile, List.of(line), lines.size() + 1));
            CACHE.put(pigFile, Loaded.of(Files.getLastModifiedTime(pigFile), Files.size(pigFile), after));
        }
    }

    /** {@code SHA256:...} as printed by {@code ssh-keygen -l}. */
    static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    static String fingerprint(String base64Key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return "(unreadable key)";
        }
    }

    static String blob(PublicKey key) {
        return Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }

    private static boolean verifies(Entry e, PublicKey key) {
        try {
            return e.parsed().verify(key);
        } catch (IOException ex) {
            return false;
        }
    }

    private static final Loaded NONE = Loaded.of(FileTime.fromMillis(0), 0, List.of());

    /** A file's entries: from the index when the file has not changed since, else read once. */
    private static Loaded load(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return NONE;
        }
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        Loaded known = CACHE.get(file);
        if (known != null && known.modified().equals(modified) && known.size() == size) {
            return known;
        }
        synchronized (KnownHosts.class) {
            known = CACHE.get(file);
            if (known != null && known.modified().equals(modified) && known.size() == size) {
                return known;
            }
            Loaded loaded = Loaded.of(modified, size, parse(file, Files.readAllLines(file, StandardCharsets.UTF_8), 1));
            CACHE.put(file, loaded);
            return loaded;
        }
    }

    /** Parses lines (the first being line {@code first} of the file) with sshj's entry parser. */
    static List<Entry> parse(Path file, List<String> lines, int first) throws IOException {
        OpenSSHKnownHosts.EntryFactory factory = new OpenSSHKnownHosts(new StringReader("")).new EntryFactory();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            String marker = f[0].startsWith("@") ? f[0] : "";
            int at = marker.isEmpty() ? 0 : 1;
            if (f.length < at + 3) {
                continue;
            }
            OpenSSHKnownHosts.KnownHostEntry parsed;
            try {
                parsed = factory.parseEntry(l);
            } catch (IOException | RuntimeException e) {
                continue; // a line sshj cannot read is not a key pig can trust
            }
            if (parsed instanceof OpenSSHKnownHosts.HostEntry) {
                out.add(new Entry(file, first + i, marker, f[at + 1], f[at + 2], new HostPatterns(f[at]), parsed));
            }
        }
        return out;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            f.seek(f.length() - 1);
            return f.read() == '\n';
        }
    }
}
