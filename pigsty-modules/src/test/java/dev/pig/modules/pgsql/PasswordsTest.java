package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    private static final String SCRAM = "scram-sha-256";

    private static String saltOf(String verifier) {
        return verifier.substring("SCRAM-SHA-256$4096:".length(), verifier.indexOf('$', "SCRAM-SHA-256$4096:".length()));
    }

    @Test
    void the_salt_is_random_for_each_run_not_derived_from_the_user_and_password() {
        byte[] run1 = Passwords.randomKey();
        byte[] run2 = Passwords.randomKey();
        String a = Passwords.verifier("dbuser_dba", "DBUser.DBA", SCRAM, run1);
        String b = Passwords.verifier("dbuser_dba", "DBUser.DBA", SCRAM, run2);
        assertNotEquals(saltOf(a), saltOf(b), "two runs (or two installations) store different verifiers");
        assertEquals(16, Base64.getDecoder().decode(saltOf(a)).length);
        assertTrue(Passwords.matches(a, "dbuser_dba", "DBUser.DBA"));
        assertTrue(Passwords.matches(b, "dbuser_dba", "DBUser.DBA"));
    }

    @Test
    void within_a_run_every_host_computes_the_same_verifier_for_pgbouncer_to_match_the_server() {
        byte[] run = Passwords.randomKey();
        assertEquals(Passwords.verifier("test", "pw1", SCRAM, run), Passwords.verifier("test", "pw1", SCRAM, run));
        assertNotEquals(saltOf(Passwords.verifier("test", "pw1", SCRAM, run)), saltOf(Passwords.verifier("test2", "pw1", SCRAM, run)),
                "two users with one password get different salts");
        assertEquals(Passwords.verifier("u", "p", SCRAM), Passwords.verifier("u", "p", SCRAM), "the process's own key");
    }

    @Test
    void a_password_already_set_is_recognised_with_the_stored_salt_and_iterations_so_a_rerun_is_a_noop() {
        String stored = Passwords.scram("Secr3t.pw", Passwords.salt("app", "Secr3t.pw", Passwords.randomKey()), 10_000);
        assertTrue(Passwords.matches(stored, "app", "Secr3t.pw"));
        assertFalse(Passwords.matches(stored, "app", "Secr3t.pw2"));
        assertEquals(stored, Passwords.userlistVerifier("app", "Secr3t.pw", SCRAM, stored), "the userlist keeps the stored verifier");
    }

    @Test
    void a_verifier_given_in_the_inventory_is_stored_as_it_is() {
        String given = Passwords.scram("x", new byte[16], 4096);
        assertEquals(given, Passwords.verifier("u", given, SCRAM));
        assertEquals("md505a671c66aefea124cc08b76ea6d30bb", Passwords.verifier("test", "test", "md5"));
    }
}
