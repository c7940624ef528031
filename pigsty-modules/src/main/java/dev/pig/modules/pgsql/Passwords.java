package dev.pig.modules.pgsql;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * PostgreSQL password verifiers: whether a stored {@code rolpassword} matches a password, and
 * the verifier pig sends instead of the password itself, so the plain text never reaches the
 * server or its logs.
 *
 * <pre>
 * SCRAM-SHA-256$4096:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;
 * md5&lt;md5(password || username)&gt;
 * </pre>
 */
public final class Passwords {
    static final int ITERATIONS = 4096;
    private static volatile byte[] saltKey = randomKey();

    private Passwords() {
    }

    /** Whether a password as the inventory gives it is already a verifier. */
    public static boolean isHashed(String password) {
        return password.startsWith("SCRAM-SHA-256$") || password.matches("md5[0-9a-f]{32}");
    }

    /**
     * Whether {@code stored} is the verifier of {@code password} for {@code user}: equal when the
     * inventory holds a verifier, recomputed with the stored salt and iterations otherwise.
     */
    public static boolean matches(String stored, String user, String password) {
        if (stored == null || stored.isEmpty()) {
            return false;
        }
        if (isHashed(password)) {
            return stored.equals(password);
        }
        if (stored.startsWith("md5")) {
            return stored.equals(md5(user, password));
        }
        if (!stored.startsWith("SCRAM-SHA-256$")) {
            return false;
        }
        // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        String[] parts = stored.substring("SCRAM-SHA-256$".length()).split("[$:]");
        if (parts.length != 4) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[1]);
        return stored.equals(scram(password, salt, Integer.parseInt(parts[0])));
    }

    /**
     * The verifier to store for a password under {@code pg_pwd_enc}; a verifier stays as it is.
     *
     * <p>The SCRAM salt is random for each run of pig: an HMAC, keyed by {@link #saltKey} (random
     * bytes drawn once per process), of the user and the password. Within a run every host computes
     * the same verifier, which PgBouncer's SCRAM pass-through needs (each member's userlist must
     * hold exactly what the server stores); across runs and installations it differs, so equal
     * verifiers do not give away a shared password and no table precomputed for a user name and
     * common passwords applies. A password set once is then recognised by {@link #matches} with
     * the stored salt and iterations, so a later run changes nothing.
     */
    public static String verifier(String user, String password, String pwdEnc) {
        return verifier(user, password, pwdEnc, saltKey);
    }

    static String verifier(String user, String password, String pwdEnc, byte[] key) {
        if (isHashed(password)) {
            return password;
        }
        if (pwdEnc.equals("md5")) {
            return md5(user, password);
        }
        return scram(password, salt(user, password, key), ITERATIONS);
    }

    /**
     * What PgBouncer's userlist holds for a user: the server's stored verifier when it matches the
     * inventory's password, else the one pig will store.
     */
    public static String userlistVerifier(String user, String password, String pwdEnc, String stored) {
        if (stored != null && !stored.isEmpty() && matches(stored, user, password)) {
            return stored;
        }
        return verifier(user, password, pwdEnc);
    }

    static byte[] salt(String user, String password, byte[] key) {
        try {
            byte[] full = hmac(key, "pig scram salt\u0000" + user + "\u0000" + password);
            return java.util.Arrays.copyOf(full, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fresh random bytes keying the salts of one process. */
    static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * Fixes the key of the salts, for tests whose golden files hold a verifier; pig itself never
     * calls it.
     */
    static void fixSaltKeyForTests(byte[] key) {
        saltKey = key.clone();
    }

    static String md5(String user, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return "md5" + HexFormat.of().formatHex(md.digest((password + user).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One SCRAM computation's inputs: a plan asks the same for each host of a cluster. */
    private record ScramInput(String password, String salt, int iterations) {
    }

    /**
     * The verifiers computed by this process: 4,096 rounds of PBKDF2 each, asked of every user for
     * the role on the leader and for each member's PgBouncer userlist, with the same stored salt.
     * Kept in memory only, for the run (never written anywhere).
     */
    private static final java.util.Map<ScramInput, String> SCRAM = new java.util.concurrent.ConcurrentHashMap<>();

    static String scram(String password, byte[] salt, int iterations) {
        return SCRAM.computeIfAbsent(new ScramInput(password, Base64.getEncoder().encodeToString(salt), iterations),
                k -> computeScram(password, salt, iterations));
    }

    private static String computeScram(String password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder b = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b.encodeToString(salt) + "$" + b.encodeToString(storedKey) + ":"
                    + b.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String msg) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
    }
}
