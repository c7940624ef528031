package dev.pig.core.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A reader for OpenSSH {@code known_hosts} files that keeps file and line of every entry, so a
 * changed key can be reported with the exact line to remove. Handles plain and hashed host names,
 * {@code [host]:port}, wildcards and negations; {@code @cert-authority} and {@code @revoked} lines
 * are skipped (pig does not use host certificates).
 */
final class KnownHosts {

    /** One host-key line. */
    record Entry(Path file, int line, String hosts, String keyType, String key) {

        boolean appliesTo(String hostToken) {
            if (hosts.startsWith("|1|")) {
                return hashedMatches(hosts, hostToken);
            }
            boolean matched = false;
            for (String pattern : hosts.split(",")) {
                boolean negated = pattern.startsWith("!");
                String p = negated ? pattern.substring(1) : pattern;
                if (glob(p).matcher(hostToken).matches()) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }
    }

    private KnownHosts() {
    }

    /** The name a host has in known_hosts: bare for port 22, {@code [host]:port} otherwise. */
    static String hostToken(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("@")) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length < 3) {
                continue;
            }
            out.add(new Entry(file, i + 1, f[0], f[1], f[2]));
        }
        return out;
    }

    static synchronized void append(Path file, String hostToken, String keyType, String key) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            dir.toFile().setReadable(false, false);
            dir.toFile().setReadable(true, true);
            dir.toFile().setExecutable(false, false);
            dir.toFile().setExecutable(true, true);
        }
        String line = hostToken + " " + keyType + " " + key + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** {@code SHA256:...} as printed by {@code ssh-keygen -l}. */
    static String fingerprint(String base64Key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "(unreadable key)";
        }
    }

    private static boolean hashedMatches(String hashed, String hostToken) {
        String[] parts = hashed.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] h = mac.doFinal(hostToken.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(h, Base64.getDecoder().decode(parts[3]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
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
