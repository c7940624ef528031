package dev.pig.core.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the OpenSSH agent ({@code SSH_AUTH_SOCK}): lists its keys and has it sign. Written
 * here because sshj has no agent support and its usual companion (jsch-agent-proxy) needs JNA or
 * netcat for the Unix socket, while Java 16+ opens one itself; the protocol is the two requests
 * of draft-miller-ssh-agent that authentication needs. One connection per request, so it is
 * safe to use from several threads.
 */
final class SshAgent {
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    /** Flags asking for an RSA signature with SHA-256 or SHA-512 instead of SHA-1. */
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;
    private static final int MAX_MESSAGE = 256 * 1024;

    /** A key the agent holds: its public blob (type name first) and comment. */
    record Identity(byte[] blob, String comment) {
        String type() {
            return new Reader(blob).string();
        }
    }

    private final Path socket;

    SshAgent(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    List<Identity> identities() throws IOException {
        Reader r = new Reader(call(new byte[] {REQUEST_IDENTITIES}));
        if (r.u8() != IDENTITIES_ANSWER) {
            throw new IOException("the agent at " + socket + " did not list its keys");
        }
        int n = r.u32();
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Identity(r.bytes(), r.string()));
        }
        return out;
    }

    /** The agent's signature of {@code data} with the key {@code blob}: {@code string algorithm, string signature}. */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(SIGN_REQUEST);
        putBytes(req, blob);
        putBytes(req, data);
        putU32(req, flags);
        Reader r = new Reader(call(req.toByteArray()));
        if (r.u8() != SIGN_RESPONSE) {
            throw new IOException("the agent at " + socket + " refused to sign");
        }
        return r.bytes();
    }

    private byte[] call(byte[] message) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = readFully(ch, 4);
            int n = len.getInt();
            if (n <= 0 || n > MAX_MESSAGE) {
                throw new IOException("the agent at " + socket + " sent a message of " + n + " bytes");
            }
            return readFully(ch, n).array();
        }
    }

    private static ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("the agent closed the connection");
            }
        }
        return b.flip();
    }

    private static void putU32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void putBytes(ByteArrayOutputStream out, byte[] b) {
        putU32(out, b.length);
        out.writeBytes(b);
    }

    /** Reads the SSH wire encoding: bytes, uint32 and length-prefixed strings. */
    private static final class Reader {
        private final ByteBuffer b;

        Reader(byte[] data) {
            b = ByteBuffer.wrap(data);
        }

        int u8() {
            return b.get() & 0xff;
        }

        int u32() {
            return b.getInt();
        }

        byte[] bytes() {
            int n = u32();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("truncated agent message");
            }
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }
}
