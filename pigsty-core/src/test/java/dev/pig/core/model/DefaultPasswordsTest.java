package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultPasswordsTest {

    @ParameterizedTest
    @ValueSource(strings = {"DBUser.DBA", "DBUser.Meta", "DBUser.Supa", "S3User.Backup", "pigsty", "Etcd.Root", "Patroni.API"})
    void pigsty_defaults_and_example_passwords_are_guessable(String pw) {
        assertTrue(DefaultPasswords.isPigstyDefault(pw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Zq8vLr2TnW4xKb6M", "DBUser", "dbuser.dba.x", "Pigsty!2024"})
    void other_passwords_are_not(String pw) {
        assertFalse(DefaultPasswords.isPigstyDefault(pw));
    }

    @ParameterizedTest
    @CsvSource({"10.10.10.11,true", "10.10.10.250,true", "127.0.0.1,true", "localhost,true", "10.10.11.11,false",
            "203.0.113.5,false", "db1.example.com,false", "192.168.1.10,false"})
    void the_sandbox_is_its_24_and_loopback(String address, boolean sandbox) {
        Node n = new Node(address, address, 22, "root", Optional.empty(), "", "nodes", List.of());
        assertEquals(sandbox, DefaultPasswords.isSandbox(n, null));
    }
}
