package dev.pig.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TextEditsTest {
    private static final String TEXT = "a: pigsty   # plain\nb: { p: 'it''s', q: \"x y\" }\r\nc: 1\n";

    @Test
    void replaces_values_at_their_positions_in_their_own_quoting_keeping_comments_and_line_ends() {
        String out = TextEdits.apply(TEXT, List.of(new TextEdits.Replace(1, 4, "pigsty", "N3w1"),
                new TextEdits.Replace(2, 9, "it's", "N3w2"), new TextEdits.Replace(2, 22, "x y", "N3w3")), List.of()).orElseThrow();
        assertEquals("a: N3w1   # plain\nb: { p: 'N3w2', q: \"N3w3\" }\r\nc: 1\n", out);
    }

    @Test
    void refuses_when_a_value_is_not_where_it_was_read() {
        assertTrue(TextEdits.apply(TEXT, List.of(new TextEdits.Replace(1, 4, "other", "x")), List.of()).isEmpty());
        assertTrue(TextEdits.apply(TEXT, List.of(new TextEdits.Replace(9, 1, "pigsty", "x")), List.of()).isEmpty());
    }

    @Test
    void inserts_lines_before_a_line() {
        assertEquals("a: pigsty   # plain\nz: 1\nb: { p: 'it''s', q: \"x y\" }\r\nc: 1\n",
                TextEdits.apply(TEXT, List.of(), List.of(new TextEdits.Insert(2, List.of("z: 1")))).orElseThrow().replace("z: 1\r\n", "z: 1\n"));
    }
}
