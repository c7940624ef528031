package dev.pig.core.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.diag.PigException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CA made once, kept, refused when it cannot be used, and what it signs. */
public class CertificateAuthorityTest {

    /** A certificate request made with a new key, as a host makes one. */
    public static byte[] request(Path dir, String cn, String... extra) throws Exception {
        Path key = dir.resolve(cn + ".key");
        assertEquals(0, new ProcessBuilder("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                key.toString()).redirectErrorStream(true).start().waitFor());
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=" + cn));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        return out;
    }

    @Test
    void is_made_once_with_its_key_private_and_kept_on_the_next_run(@TempDir Path home) throws Exception {
        Path dir = home.resolve(".pig/pki/ca");
        CertificateAuthority ca = CertificateAuthority.at(dir).ensure("pigsty-ca", true);
        assertEquals("pigsty-ca", ca.name());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
        assertTrue(ca.certificate().x509().getBasicConstraints() >= 0, "a CA certificate");
        assertTrue(ca.certificate().notAfter().isAfter(Instant.now().plus(Duration.ofDays(365 * 99))));
        byte[] first = ca.pem();
        // another run reads the same CA: nothing is made again
        assertArrayEquals(first, CertificateAuthority.at(dir).ensure("other-name", true).pem());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("ca.crt", "ca.key"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void a_missing_ca_is_an_error_naming_the_place_when_pig_may_not_make_one(@TempDir Path home) {
        PigException e = assertThrows(PigException.class, () -> CertificateAuthority.at(home.resolve("ca")).ensure("pigsty-ca", false));
        assertTrue(e.getMessage().contains("there is no CA in " + home.resolve("ca") + " and ca_create is false"), e.getMessage());
        assertFalse(Files.exists(home.resolve("ca/ca.key")));
    }

    @Test
    void a_key_without_its_certificate_is_refused_rather_than_replaced(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.key"), "a key");
        PigException e = assertThrows(PigException.class, () -> CertificateAuthority.at(dir).ensure("pigsty-ca", true));
        assertTrue(e.getMessage().contains("has its key but no ca.crt"), e.getMessage());
        assertEquals("a key", Files.readString(dir.resolve("ca.key")));
    }

    @Test
    void a_name_that_could_change_openssl_s_configuration_is_refused(@TempDir Path dir) {
        PigException e = assertThrows(PigException.class, () -> CertificateAuthority.at(dir.resolve("ca")).ensure("x\nO = evil", true));
        assertTrue(e.getMessage().contains("cannot name a CA"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Certificate.normalize(List.of("DNS:a,IP:1.2.3.4")));
        assertThrows(IllegalArgumentException.class, () -> Certificate.normalize(List.of("DNS:a\nbasicConstraints=CA:TRUE")));
        assertThrows(IllegalArgumentException.class, () -> Certificate.normalize(List.of("email:a@b")));
    }

    @Test
    void signs_with_pig_s_names_and_lifetime_never_what_the_request_asks(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.at(dir.resolve("ca")).ensure("test-ca", true);
        byte[] csr = request(dir, "pg-test-1", "-addext", "subjectAltName=DNS:evil.example", "-addext", "basicConstraints=critical,CA:TRUE");
        Certificate c = Certificate.parse(ca.sign(csr, List.of("DNS:pg-test", "IP:10.10.10.11", "IP:::1"), 30)).orElseThrow();
        assertEquals(List.of("DNS:pg-test", "IP:10.10.10.11", "IP:0:0:0:0:0:0:0:1"), c.names());
        assertEquals(-1, c.x509().getBasicConstraints());
        assertTrue(c.issuedBy(ca.certificate().x509()));
        assertEquals("test-ca", c.issuer());
        long days = Duration.between(Instant.now(), c.notAfter()).toHours();
        assertTrue(days > 29 * 24 && days <= 30 * 24, days + " hours");
        assertTrue(c.x509().getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")), "server and client");
        // another CA's certificate is not this one's
        CertificateAuthority other = CertificateAuthority.at(dir.resolve("other")).ensure("test-ca", true);
        assertFalse(c.issuedBy(other.certificate().x509()));
    }

    @Test
    void issues_a_key_and_certificate_for_an_application(@TempDir Path dir) {
        CertificateAuthority ca = CertificateAuthority.at(dir.resolve("ca")).ensure("pigsty-ca", true);
        Path crt = ca.issue("app", List.of("DNS:app.pigsty", "IP:10.10.10.10"), 397, dir.resolve("misc"));
        assertEquals(dir.resolve("misc/app.crt"), crt);
        Certificate c = Certificate.parse(readAll(crt)).orElseThrow();
        assertTrue(c.issuedBy(ca.certificate().x509()));
        assertEquals(List.of("DNS:app.pigsty", "IP:10.10.10.10"), c.names());
        assertEquals("rw-------", perms(dir.resolve("misc/app.key")));
        assertThrows(PigException.class, () -> ca.issue("../x", List.of(), 1, dir));
    }

    @Test
    void intervals_are_whole_days() {
        assertEquals(7300, CertificateAuthority.days("7300d"));
        assertEquals(365, CertificateAuthority.days("1y"));
        assertEquals(14, CertificateAuthority.days("2w"));
        assertEquals(2, CertificateAuthority.days("25h"));
        assertEquals(1, CertificateAuthority.days("30m"));
        assertEquals(90, CertificateAuthority.days(90));
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.days("soon"));
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String perms(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
