package dev.pig.core.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.Fixtures;
import net.schmizz.sshj.common.Buffer;

class KnownHostsTest {
    @TempDir
    Path dir;

    private final List<KnownHosts.Entry> entries = read();

    private static List<KnownHosts.Entry> read() {
        try {
            Path f = Fixtures.path("ssh/known_hosts");
            return KnownHosts.parse(f, Files.readAllLines(f), 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private KnownHosts.Entry line(int n) {
        return entries.stream().filter(e -> e.line() == n).findFirst().orElseThrow();
    }

    private static PublicKey rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair().getPublic();
    }

    private static PublicKey ecdsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair().getPublic();
    }

    private static PublicKey ed25519() throws Exception {
        return new Buffer.PlainBuffer(Base64.getDecoder().decode(Fixtures.read("ssh/key.b64").strip())).readPublicKey();
    }

    private static String line(String hosts, PublicKey k) {
        return hosts + " " + net.schmizz.sshj.common.KeyType.fromKey(k) + " " + KnownHosts.blob(k);
    }

    /** Known hosts of a user file with these lines and an empty pig file. */
    private KnownHosts files(String... lines) throws Exception {
        Path user = dir.resolve("user_known_hosts");
        Files.writeString(user, String.join("\n", lines) + "\n");
        return KnownHosts.of(user, dir.resolve("pig/known_hosts"));
    }

    @Test
    void reads_entries_with_their_line_numbers_through_sshj_keeping_marker_lines() {
        assertEquals(List.of(2, 3, 4, 5, 6, 7), entries.stream().map(KnownHosts.Entry::line).toList());
        assertEquals("ssh-ed25519", line(2).keyType());
        assertEquals("@cert-authority", line(5).marker());
    }

    @Test
    void matches_any_name_of_a_comma_separated_list() {
        assertTrue(line(2).appliesTo("10.10.10.11"));
        assertTrue(line(2).appliesTo("pg-meta"));
        assertFalse(line(2).appliesTo("10.10.10.1"));
    }

    @Test
    void needs_brackets_and_port_for_a_non_default_port() {
        assertTrue(line(3).appliesTo(KnownHosts.hostToken("10.10.10.12", 2222)));
        assertFalse(line(3).appliesTo(KnownHosts.hostToken("10.10.10.12", 22)));
    }

    @Test
    void matches_a_hashed_host_name() {
        assertTrue(line(4).appliesTo("10.10.10.10"));
        assertFalse(line(4).appliesTo("10.10.10.13"));
    }

    @Test
    void honours_wildcards_and_negations() {
        assertTrue(line(6).appliesTo("10.10.10.25"));
        assertTrue(line(7).appliesTo("10.10.10.21"));
        assertFalse(line(7).appliesTo("10.10.10.20"));
    }

    @Test
    void prints_fingerprints_like_ssh_keygen() {
        String fp = KnownHosts.fingerprint(Fixtures.read("ssh/key.b64").strip());
        assertTrue(fp.startsWith("SHA256:") && !fp.endsWith("="), fp);
    }

    @Test
    void a_listed_key_is_known_and_another_key_of_its_type_is_a_change_naming_the_line() throws Exception {
        PublicKey k = rsa();
        KnownHosts kh = files("# comment", line("10.0.0.1", k));
        assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("10.0.0.1", 22, k));
        KnownHosts.Verdict.Changed c = assertInstanceOf(KnownHosts.Verdict.Changed.class, kh.check("10.0.0.1", 22, rsa()));
        assertEquals(2, c.entry().line());
        assertInstanceOf(KnownHosts.Verdict.Unknown.class, kh.check("10.0.0.2", 22, k));
    }

    @Test
    void a_known_host_offering_a_key_of_another_type_is_not_a_new_host() throws Exception {
        KnownHosts kh = files(line("10.0.0.1", ed25519()));
        KnownHosts.Verdict.OtherType o = assertInstanceOf(KnownHosts.Verdict.OtherType.class, kh.check("10.0.0.1", 22, rsa()));
        assertEquals("ssh-ed25519", o.entry().keyType());
        assertInstanceOf(KnownHosts.Verdict.OtherType.class, kh.check("10.0.0.1", 22, ecdsa()));
    }

    @Test
    void a_revoked_key_is_refused_even_when_another_line_lists_it() throws Exception {
        PublicKey k = rsa();
        KnownHosts kh = files(line("10.0.0.1", k), "@revoked " + line("*", k));
        KnownHosts.Verdict.Revoked r = assertInstanceOf(KnownHosts.Verdict.Revoked.class, kh.check("10.0.0.1", 22, k));
        assertEquals(2, r.entry().line());
        assertInstanceOf(KnownHosts.Verdict.Known.class, files(line("10.0.0.1", k), "@revoked " + line("*", rsa()))
                .check("10.0.0.1", 22, k), "another key's revocation does not matter");
    }

    @Test
    void a_certificate_authority_line_does_not_make_a_plain_key_a_change() throws Exception {
        KnownHosts kh = files("@cert-authority *.example.com " + line("", ed25519()).strip());
        assertInstanceOf(KnownHosts.Verdict.Unknown.class, kh.check("db.example.com", 22, rsa()));
        assertEquals(List.of(), kh.knownTypes("db.example.com", 22));
    }

    @Test
    void a_recorded_key_is_known_at_once_and_written_with_its_line() throws Exception {
        KnownHosts kh = files(line("10.0.0.1", ed25519()));
        PublicKey k = ecdsa();
        kh.record("10.0.0.9", 2222, k);
        KnownHosts.Verdict.Known known = assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("10.0.0.9", 2222, k));
        assertEquals(1, known.entry().line());
        assertEquals(line("[10.0.0.9]:2222", k) + "\n", Files.readString(dir.resolve("pig/known_hosts")));
        assertEquals(List.of("ecdsa-sha2-nistp256"), kh.knownTypes("10.0.0.9", 2222));
    }

    @Test
    void hosts_recorded_from_many_threads_each_get_their_line() throws Exception {
        KnownHosts kh = files("# none");
        ExecutorService ex = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(ecdsa());
        }
        for (int i = 0; i < 40; i++) {
            int n = i;
            fs.add(ex.submit(() -> {
                kh.record("10.1.0." + n, 22, keys.get(n));
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        ex.shutdown();
        assertEquals(40, Files.readAllLines(dir.resolve("pig/known_hosts")).size());
        for (int i = 0; i < 40; i++) {
            assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("10.1.0." + i, 22, keys.get(i)));
        }
        assertEquals(40, KnownHosts.of(dir.resolve("none"), dir.resolve("pig/known_hosts")).entries().stream()
                .map(KnownHosts.Entry::line).distinct().count(), "each line number once");
    }

    @Test
    void indexed_names_and_patterns_are_checked_together_in_file_order() throws Exception {
        PublicKey wild = ecdsa();
        PublicKey named = ecdsa();
        KnownHosts kh = files(line("10.0.0.*", wild), line("DB1.Example.com,10.0.0.5", named));
        assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("10.0.0.5", 22, named));
        assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("10.0.0.5", 22, wild));
        assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("db1.example.COM", 22, named), "names are case-insensitive");
        assertEquals(1, assertInstanceOf(KnownHosts.Verdict.Changed.class, kh.check("10.0.0.5", 22, ecdsa())).entry().line());
    }

    @Test
    void a_key_recorded_after_a_line_without_its_newline_gets_a_line_of_its_own() throws Exception {
        Path pig = dir.resolve("pig/known_hosts");
        Files.createDirectories(pig.getParent());
        PublicKey first = ecdsa();
        Files.writeString(pig, "# by hand\n" + line("10.0.0.1", first));
        KnownHosts kh = KnownHosts.of(dir.resolve("none"), pig);
        PublicKey k = ecdsa();
        kh.record("10.0.0.2", 22, k);
        assertEquals(List.of("# by hand", line("10.0.0.1", first), line("10.0.0.2", k)), Files.readAllLines(pig));
        assertEquals(3, assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("10.0.0.2", 22, k)).entry().line());
        assertInstanceOf(KnownHosts.Verdict.Known.class, kh.check("10.0.0.1", 22, first));
    }
}
