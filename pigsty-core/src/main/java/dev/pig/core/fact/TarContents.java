package dev.pig.core.fact;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The regular files of a tar archive, by name: how the facts script sends every file content a
 * plan asked for in one piece ({@code tar -c -P}, GNU or POSIX format). Names longer than a
 * header holds come in GNU's {@code ././@LongLink} entries or in POSIX {@code path} records; other
 * entry types are skipped. A truncated archive yields the files read before the cut.
 */
final class TarContents {
    private static final int BLOCK = 512;

    private TarContents() {
    }

    static Map<String, byte[]> read(byte[] tar) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        String longName = null;
        int at = 0;
        while (at + BLOCK <= tar.length) {
            byte[] h = Arrays.copyOfRange(tar, at, at + BLOCK);
            if (isZero(h)) {
                break;
            }
            long size = octal(h, 124, 12);
            char type = (char) h[156];
            int data = at + BLOCK;
            if (size < 0 || data + size > tar.length) {
                break;
            }
            byte[] body = Arrays.copyOfRange(tar, data, data + (int) size);
            switch (type) {
                case 'L' -> longName = cString(body, 0, body.length);
                case 'x' -> {
                    String path = paxPath(body);
                    if (path != null) {
                        longName = path;
                    }
                }
                case '0', '\0', '7' -> {
                    out.put(longName != null ? longName : name(h), body);
                    longName = null;
                }
                default -> longName = null;
            }
            at = data + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        }
        return out;
    }

    /** The header's name, with the POSIX prefix field when its magic says ustar. */
    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        boolean posix = new String(h, 257, 6, StandardCharsets.US_ASCII).equals("ustar\0");
        String prefix = posix ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** A POSIX extended header's {@code path} record: lines of {@code LEN path=VALUE}. */
    private static String paxPath(byte[] body) {
        int i = 0;
        while (i < body.length) {
            int sp = i;
            while (sp < body.length && body[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(body, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return null;
            }
            if (len <= 0 || i + len > body.length) {
                return null;
            }
            String record = new String(body, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                return record.substring(5);
            }
            i += len;
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal number field; -1 when it is not one (GNU's base-256 sizes are far above what pig asks for). */
    private static long octal(byte[] b, int off, int len) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
            any = true;
        }
        return v;
    }

    private static boolean isZero(byte[] h) {
        for (byte x : h) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
