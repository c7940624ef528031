package dev.pig.modules.node;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 key pairs in OpenSSH's own formats: the {@code id_ed25519.pub} line and the
 * unencrypted {@code openssh-key-v1} private key file {@code ssh-keygen -t ed25519 -N ''} writes.
 * pig makes the admin user's key pair itself, at plan time, so the public half is known to every
 * host's plan of the same run (see {@link AdminKeys}).
 */
final class SshKeys {
    static final String TYPE = "ssh-ed25519";
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    /** @param publicLine {@code ssh-ed25519 AAAA... comment} */
    record Pair(String publicLine, byte[] privateFile) {
    }

    private SshKeys() {
    }

    static Pair ed25519(String comment, SecureRandom random) {
        // the private key is 32 random bytes (RFC 8032's seed), the public key derived from them:
        // BouncyCastle's arithmetic (which sshj ships) derives it about five times faster than
        // the JDK's, which counts when a plan makes the pairs of a thousand new hosts
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        random.nextBytes(seed);
        byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, pub, 0);
        byte[] blob = publicBlob(pub);
        String line = TYPE + " " + Base64.getEncoder().encodeToString(blob) + " " + comment;

        byte[] check = new byte[4];
        random.nextBytes(check);
        Buf priv = new Buf();
        priv.raw(check).raw(check).str(TYPE).str(pub).str(concat(seed, pub)).str(comment.getBytes(StandardCharsets.UTF_8));
        for (int pad = 1; priv.size() % 8 != 0; pad++) {
            priv.raw(new byte[] {(byte) pad});
        }
        Buf file = new Buf();
        file.raw(MAGIC).str("none").str("none").str(new byte[0]).u32(1).str(blob).str(priv.bytes());

        String b64 = Base64.getEncoder().encodeToString(file.bytes());
        StringBuilder pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (int i = 0; i < b64.length(); i += 70) {
            pem.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
        }
        pem.append("-----END OPENSSH PRIVATE KEY-----\n");
        return new Pair(line, pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The SSH wire form of an Ed25519 public key: the base64 part of a {@code .pub} line. */
    static byte[] publicBlob(byte[] pub) {
        return new Buf().str(TYPE).str(pub).bytes();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** SSH's encoding: big-endian uint32, and strings as a uint32 length and the bytes. */
    private static final class Buf {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Buf raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Buf u32(int v) {
            return raw(ByteBuffer.allocate(4).putInt(v).array());
        }

        Buf str(byte[] b) {
            return u32(b.length).raw(b);
        }

        Buf str(String s) {
            return str(s.getBytes(StandardCharsets.US_ASCII));
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
