package dev.pig.core.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiagnosticRenderTest {

    @Test
    void control_characters_of_a_value_are_printed_escaped_with_the_caret_still_under_the_column() {
        Diagnostics d = new Diagnostics();
        d.registerText("t.yml", "a: \u001b[2J\u001b]0;x\u0007 bad: 1\n");
        d.error("unknown parameter '\u001b[31mred'", new Source("t.yml", 1, 15), "Remove '\u009b2J'.");
        String out = d.render();
        assertFalse(out.chars().anyMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f), out);
        assertTrue(out.contains("Error: unknown parameter '\\x1b[31mred'"), out);
        assertTrue(out.contains("    1 | a: \\x1b[2J\\x1b]0;x\\x07 bad: 1\n"), out);
        int caret = out.lines().filter(l -> l.trim().equals("^")).findFirst().orElseThrow().indexOf('^');
        assertEquals(out.lines().filter(l -> l.startsWith("    1 | ")).findFirst().orElseThrow().indexOf("bad"), caret);
        assertTrue(out.contains("Remove '\\x9b2J'."), out);
    }

    @Test
    void a_long_line_is_cut_to_a_window_around_the_column() {
        Diagnostics d = new Diagnostics();
        String line = "x: " + "a".repeat(5_000) + " bad" + "b".repeat(5_000);
        d.registerText("t.yml", line + "\n");
        d.error("bad", new Source("t.yml", 1, 5_005), "");
        String[] lines = d.render().split("\n");
        assertTrue(lines[2].length() < Diagnostic.MAX_EXCERPT + 20, lines[2]);
        assertTrue(lines[2].startsWith("    1 | ...") && lines[2].endsWith("..."), lines[2]);
        assertEquals(lines[2].indexOf(" bad") + 1, lines[3].indexOf('^'));
    }
}
