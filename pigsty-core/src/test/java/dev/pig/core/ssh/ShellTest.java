package dev.pig.core.ssh;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShellTest {

    @Test
    void leaves_plain_words_unquoted() {
        assertEquals("/etc/pigsty/pg.yml", Shell.quote("/etc/pigsty/pg.yml"));
    }

    @Test
    void quotes_spaces_quotes_and_empty_strings() {
        assertEquals("''", Shell.quote(""));
        assertEquals("'a b'", Shell.quote("a b"));
        assertEquals("'it'\"'\"'s'", Shell.quote("it's"));
        assertEquals("'$HOME'", Shell.quote("$HOME"));
    }

    @Test
    void joins_words_into_a_command_line() {
        assertEquals("echo 'a b' c", Shell.join(List.of("echo", "a b", "c")));
    }
}
