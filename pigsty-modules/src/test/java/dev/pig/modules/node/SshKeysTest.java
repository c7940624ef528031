package dev.pig.modules.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin key pairs pig makes are the files {@code ssh-keygen -t ed25519 -N ''} would write. */
class SshKeysTest {
    private final SshKeys.Pair pair = SshKeys.ed25519("dba@pg-test-1", NodeFixtures.random("test"));

    /** The public key is the one the JDK's own Ed25519 derives from the same 32 random bytes. */
    @org.junit.jupiter.api.Test
    void the_public_key_is_the_one_the_jdk_derives_from_the_same_seed() throws Exception {
        for (String seed : java.util.List.of("a", "b", "c")) {
            SshKeys.Pair ours = SshKeys.ed25519("x", NodeFixtures.random(seed));
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
            g.initialize(java.security.spec.NamedParameterSpec.ED25519, NodeFixtures.random(seed));
            byte[] x509 = g.generateKeyPair().getPublic().getEncoded();
            byte[] jdk = java.util.Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            assertEquals("ssh-ed25519 " + Base64.getEncoder().encodeToString(SshKeys.publicBlob(jdk)) + " x", ours.publicLine());
        }
    }

    /** SSH's wire reading: a uint32 length, then the bytes. */
    private static byte[] str(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }

    private ByteBuffer body() {
        String pem = new String(pair.privateFile(), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n") && pem.endsWith("-----END OPENSSH PRIVATE KEY-----\n"), pem);
        String b64 = pem.lines().filter(l -> !l.startsWith("-----")).peek(l -> assertTrue(l.length() <= 70)).reduce("", String::concat);
        return ByteBuffer.wrap(Base64.getDecoder().decode(b64));
    }

    @Test
    void the_private_file_is_an_unencrypted_openssh_v1_key_holding_the_public_key_of_the_line() {
        ByteBuffer b = body();
        byte[] magic = new byte[15];
        b.get(magic);
        assertEquals("openssh-key-v1\0", new String(magic, StandardCharsets.US_ASCII));
        assertEquals("none", new String(str(b), StandardCharsets.US_ASCII));
        assertEquals("none", new String(str(b), StandardCharsets.US_ASCII));
        assertEquals(0, str(b).length);
        assertEquals(1, b.getInt());
        byte[] blob = str(b);
        String[] line = pair.publicLine().split(" ");
        assertEquals("ssh-ed25519", line[0]);
        assertEquals("dba@pg-test-1", line[2]);
        assertArrayEquals(Base64.getDecoder().decode(line[1]), blob);

        ByteBuffer priv = ByteBuffer.wrap(str(b));
        assertEquals(priv.getInt(), priv.getInt(), "the two check words match");
        assertEquals("ssh-ed25519", new String(str(priv), StandardCharsets.US_ASCII));
        byte[] pub = str(priv);
        byte[] secret = str(priv);
        assertEquals("dba@pg-test-1", new String(str(priv), StandardCharsets.UTF_8));
        assertArrayEquals(SshKeys.publicBlob(pub), blob);
        assertEquals(64, secret.length);
        assertArrayEquals(pub, Arrays.copyOfRange(secret, 32, 64));
        for (int pad = 1; priv.hasRemaining(); pad++) {
            assertEquals(pad, priv.get(), "padding 1, 2, 3 ...");
        }
        assertEquals(0, b.remaining());
    }

    @Test
    void what_the_private_key_signs_the_public_key_verifies() throws Exception {
        ByteBuffer b = body();
        b.position(15);
        str(b);
        str(b);
        str(b);
        b.getInt();
        str(b);
        ByteBuffer priv = ByteBuffer.wrap(str(b));
        priv.getInt();
        priv.getInt();
        str(priv);
        byte[] pub = str(priv);
        byte[] seed = Arrays.copyOf(str(priv), 32);
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(kf.generatePrivate(new PKCS8EncodedKeySpec(concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), seed))));
        signer.update("pig".getBytes(StandardCharsets.UTF_8));
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(kf.generatePublic(new X509EncodedKeySpec(concat(HexFormat.of().parseHex("302a300506032b6570032100"), pub))));
        verifier.update("pig".getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(sig));
    }

    @Test
    void ssh_keygen_reads_the_private_key_back_to_the_same_public_key(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is not installed");
        Path key = dir.resolve("id_ed25519");
        Files.write(key, pair.privateFile());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Process p = new ProcessBuilder("/usr/bin/ssh-keygen", "-y", "-f", key.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        assertEquals(pair.publicLine(), out);
    }

    @Test
    void every_pair_is_new() {
        assertNotEquals(SshKeys.ed25519("a", new SecureRandom()).publicLine(), SshKeys.ed25519("a", new SecureRandom()).publicLine());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
