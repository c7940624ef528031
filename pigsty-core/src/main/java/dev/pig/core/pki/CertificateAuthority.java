package dev.pig.core.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.diag.PigException;

/**
 * The CA of the inventory, Pigsty's {@code ca.crt} and {@code ca.key}: kept on the admin node, in
 * the directory of the user running pig ({@code ~/.pig/pki/ca}), its key 0600 in a 0700
 * directory and never printed. pig makes it once when there is none and {@code ca_create} is
 * true; a CA of one's own (Pigsty's {@code files/pki/ca}) is used by putting its two files there.
 * Hosts send certificate requests made with keys that stay on them; the CA signs them here, with
 * OpenSSL, whose configuration pig writes from checked names only.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.at(CertificateAuthority.defaultDir()).ensure("pigsty-ca", true);
 * byte[] crt = ca.sign(csr, List.of("DNS:pg-test", "IP:10.10.10.11"), 7300);
 * }</pre>
 */
public final class CertificateAuthority {
    public static final String CRT = "ca.crt";
    public static final String KEY = "ca.key";
    /** Where every node keeps the CA's certificate (NODE's {@code node_ca}), as Pigsty does. */
    public static final String ON_NODES = "/etc/pki/ca.crt";
    /** Pigsty's CA lifetime: a hundred years, so it outlives what it signs. */
    static final int CA_DAYS = 36500;
    private static final Pattern CN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)\\s*(s|m|min|h|d|w|y)?");
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private volatile Certificate loaded;
    private volatile byte[] pem;

    private CertificateAuthority(Path dir) {
        this.dir = dir;
    }

    /** The CA kept in {@code dir}; nothing is read or made until {@link #ensure}. */
    public static CertificateAuthority at(Path dir) {
        return new CertificateAuthority(dir);
    }

    /** {@code ~/.pig/pki/ca} of the user running pig. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".pig", "pki", "ca");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Reads the CA, making it first when neither of its files exists and {@code create} holds.
     *
     * @param cn     the common name of a CA pig makes ({@code ca_cn})
     * @param create whether pig may make one ({@code ca_create})
     * @throws PigException naming the directory and what to do when there is no usable CA
     */
    public synchronized CertificateAuthority ensure(String cn, boolean create) {
        if (loaded != null) {
            return this;
        }
        Path crt = dir.resolve(CRT);
        Path key = dir.resolve(KEY);
        if (!Files.exists(crt)) {
            if (Files.exists(key)) {
                throw new PigException(PigException.Kind.INVALID_INPUT, "the CA in " + dir + " has its key but no " + CRT
                        + ": put the CA's certificate beside its key, or move both away to let pig make a new CA (every certificate"
                        + " it issued is then issued again)");
            }
            if (!create) {
                throw new PigException(PigException.Kind.INVALID_INPUT, "there is no CA in " + dir + " and ca_create is false: put"
                        + " your CA's " + CRT + " and " + KEY + " there (Pigsty keeps them in files/pki/ca), or set ca_create: true");
            }
            create(cn);
        }
        try {
            byte[] text = Files.readAllBytes(crt);
            Certificate c = Certificate.parse(text).orElseThrow(() -> new PigException(PigException.Kind.INVALID_INPUT,
                    crt + " holds no certificate: put the CA's PEM certificate there"));
            if (c.x509().getBasicConstraints() < 0) {
                throw new PigException(PigException.Kind.INVALID_INPUT, crt + " is not a CA certificate (its basic constraints"
                        + " do not say CA:TRUE): put the CA's own certificate there");
            }
            pem = text;
            loaded = c;
            return this;
        } catch (IOException e) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "cannot read " + crt + ": " + e.getMessage(), e);
        }
    }

    /** The CA's certificate; {@link #ensure} first. */
    public Certificate certificate() {
        if (loaded == null) {
            throw new IllegalStateException("the CA is not loaded: call ensure first");
        }
        return loaded;
    }

    /** The CA's certificate as PEM text, what every host trusts. */
    public byte[] pem() {
        certificate();
        return pem.clone();
    }

    /** The CA's common name. */
    public String name() {
        return certificate().subjectName();
    }

    private void create(String cn) {
        if (!CN.matcher(cn).matches()) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "ca_cn '" + cn + "' cannot name a CA: use letters, digits,"
                    + " spaces, '.', '-' and '_' (up to 64)");
        }
        try {
            Files.createDirectories(dir.getParent());
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path work = Files.createTempDirectory(dir, ".new-");
            try {
                Path conf = work.resolve("ca.cnf");
                Files.writeString(conf, String.join("\n",
                        "[req]", "distinguished_name = dn", "x509_extensions = v3_ca", "prompt = no",
                        "[dn]", "CN = " + cn, "O = pigsty", "OU = ca",
                        "[v3_ca]", "basicConstraints = critical,CA:TRUE,pathlen:1",
                        "keyUsage = critical,keyCertSign,cRLSign,digitalSignature",
                        "subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid:always", ""));
                openssl(List.of("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-sha256",
                        "-days", String.valueOf(CA_DAYS), "-config", conf.toString(), "-keyout", work.resolve(KEY).toString(),
                        "-out", work.resolve(CRT).toString()), null);
                Files.setPosixFilePermissions(work.resolve(KEY), PosixFilePermissions.fromString("rw-------"));
                // the key first: a certificate without its key would read as a CA to plan with that cannot sign
                move(work.resolve(KEY), dir.resolve(KEY));
                move(work.resolve(CRT), dir.resolve(CRT));
            } finally {
                try (var files = Files.list(work)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(work);
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "cannot make the CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Signs a certificate request made on a host: the subject is the request's, the names and the
     * lifetime are pig's (what the request asks for beyond its subject is not copied), usable by
     * servers and as a client certificate, never as a CA. The lifetime ends with the CA's at the latest.
     *
     * @param csr   the request, PEM
     * @param names subject alternative names, {@code DNS:...} or {@code IP:...}
     * @param days  the lifetime in days
     * @return the certificate, PEM
     */
    public byte[] sign(byte[] csr, List<String> names, int days) {
        List<String> checked = Certificate.normalize(names);
        if (loaded == null) {
            // a saved plan applied by another run: the CA it was planned with, never a new one
            ensure("", false);
        }
        Path key = dir.resolve(KEY);
        if (!Files.exists(key)) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "the CA's key " + key + " is missing, so nothing can be signed:"
                    + " run pig where the CA's key is (the admin node), or put it there");
        }
        long left = Duration.between(Instant.now(), certificate().notAfter()).toDays();
        int lifetime = (int) Math.max(1, Math.min(days, left));
        try {
            Path work = Files.createTempDirectory("pig-sign-");
            try {
                Path ext = work.resolve("ext.cnf");
                List<String> lines = new ArrayList<>(List.of("basicConstraints = critical,CA:FALSE",
                        "keyUsage = critical,digitalSignature,keyEncipherment", "extendedKeyUsage = serverAuth,clientAuth",
                        "subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid"));
                if (!checked.isEmpty()) {
                    lines.add("subjectAltName = " + String.join(",", checked));
                }
                Files.writeString(ext, String.join("\n", lines) + "\n");
                return openssl(List.of("x509", "-req", "-CA", dir.resolve(CRT).toString(), "-CAkey", key.toString(),
                        "-days", String.valueOf(lifetime), "-sha256", "-extfile", ext.toString()), csr);
            } finally {
                Files.deleteIfExists(work.resolve("ext.cnf"));
                Files.deleteIfExists(work);
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A key and a certificate for an application ({@code pig cert issue}, Pigsty's
     * {@code cert.yml}): {@code out/NAME.key} (0600) and {@code out/NAME.crt}, made here.
     *
     * @return the certificate's path
     */
    public Path issue(String name, List<String> names, int days, Path out) {
        if (!CN.matcher(name).matches() || name.contains(" ")) {
            throw new PigException(PigException.Kind.USAGE, "'" + name + "' cannot name a certificate: use letters, digits, '.', '-'"
                    + " and '_'");
        }
        try {
            Files.createDirectories(out);
            Path key = out.resolve(name + ".key");
            Path crt = out.resolve(name + ".crt");
            if (!Files.exists(key)) {
                Path tmp = out.resolve("." + name + ".key.new");
                Files.deleteIfExists(tmp);
                openssl(List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", tmp.toString()), null);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                move(tmp, key);
            }
            byte[] csr = openssl(List.of("req", "-new", "-key", key.toString(), "-subj", "/CN=" + name), null);
            Path tmp = out.resolve("." + name + ".crt.new");
            Files.write(tmp, sign(csr, names, days));
            move(tmp, crt);
            return crt;
        } catch (IOException e) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "cannot write the certificate in " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * A Pigsty interval ({@code cert_validity: 7300d}) in whole days, at least one: {@code w} and
     * {@code y} are 7 and 365 days, a bare number is days.
     */
    public static int days(Object interval) {
        String s = String.valueOf(interval).strip();
        Matcher m = INTERVAL.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an interval: " + s);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "d" : m.group(2);
        long days = switch (unit) {
            case "y" -> n * 365;
            case "w" -> n * 7;
            case "d" -> n;
            case "h" -> (n + 23) / 24;
            default -> 1;
        };
        return (int) Math.max(1, Math.min(days, CA_DAYS));
    }

    /** Runs openssl here; its output, or a failure naming what openssl said. */
    private static byte[] openssl(List<String> args, byte[] stdin) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "openssl is needed on the admin node for the CA: "
                    + e.getMessage() + " (apt-get install openssl)", e);
        }
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            byte[] out;
            byte[] err;
            try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
                var errRead = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return e.readAllBytes();
                    } catch (IOException x) {
                        return new byte[0];
                    }
                });
                out = o.readAllBytes();
                err = errRead.join();
            }
            if (!p.waitFor(OPENSSL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PigException(PigException.Kind.FAILED, "openssl " + args.get(0) + " did not finish in " + OPENSSL_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                String said = new String(err, StandardCharsets.UTF_8).strip();
                throw new PigException(PigException.Kind.FAILED, "openssl " + args.get(0) + " exited " + p.exitValue() + ": "
                        + said.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse(""));
            }
            return out;
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "openssl " + args.get(0) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new PigException(PigException.Kind.FAILED, "interrupted while openssl ran", e);
        }
    }
}
