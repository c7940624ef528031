package dev.pig.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.pki.Certificate;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.modules.ModuleContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pig cert ca} and {@code pig cert issue}, with the tests' CA ({@code PIG_CA_DIR}). */
class CertCommandTest {
    static final String INV = PigRunner.path("inventory-examples/sandbox.yml");

    @Test
    void ca_says_where_the_ca_is_and_prints_its_certificate_never_its_key() throws Exception {
        PigRunner.Result r = PigRunner.run("cert", "ca", "-i", INV);
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().startsWith("CA pigsty-ca in " + ModuleContext.caDir() + " (ca.crt, ca.key)"), r.out());
        PigRunner.Result pem = PigRunner.run("cert", "ca", "-i", INV, "--pem");
        assertEquals(Files.readString(ModuleContext.caDir().resolve("ca.crt")), pem.out());
        assertFalse(pem.out().contains("PRIVATE KEY") || r.out().contains("PRIVATE KEY"));
    }

    @Test
    void issue_writes_a_key_and_a_certificate_of_the_ca_with_the_names_asked(@TempDir Path dir) throws Exception {
        PigRunner.Result r = PigRunner.run("cert", "issue", "-i", INV, "grafana", "--san", "g.pigsty", "--san", "IP:10.10.10.10",
                "--san", "10.10.10.11", "--days", "397", "-o", dir.toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        Certificate c = Certificate.parse(Files.readAllBytes(dir.resolve("grafana.crt"))).orElseThrow();
        assertEquals(List.of("DNS:g.pigsty", "IP:10.10.10.10", "IP:10.10.10.11"), c.names());
        assertTrue(c.issuedBy(CertificateAuthority.at(ModuleContext.caDir()).ensure("pigsty-ca", false).certificate().x509()));
        assertTrue(r.out().contains("issued " + dir.resolve("grafana.crt") + " (key " + dir.resolve("grafana.key") + ") by CA pigsty-ca"
                + " for DNS:g.pigsty,IP:10.10.10.10,IP:10.10.10.11, expires "), r.out());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("grafana.key"))));
    }

    @Test
    void a_name_openssl_would_read_as_more_is_refused(@TempDir Path dir) {
        PigRunner.Result r = PigRunner.run("cert", "issue", "-i", INV, "app", "--san", "a.pigsty,IP:1.2.3.4", "-o", dir.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("a certificate name is DNS:NAME"), r.err());
        assertFalse(Files.exists(dir.resolve("app.crt")));
    }

    @Test
    void a_name_etcd_would_take_for_one_of_its_users_is_refused(@TempDir Path dir) {
        for (String user : List.of("root", "pg-test")) {
            PigRunner.Result r = PigRunner.run("cert", "issue", "-i", INV, user, "--san", "a.pigsty", "-o", dir.toString());
            assertEquals(ExitCodes.USAGE, r.code(), r.toString());
            assertTrue(r.err().contains(user + " is the name of an etcd user of this inventory"), r.err());
            assertFalse(Files.exists(dir.resolve(user + ".crt")));
        }
    }
}
