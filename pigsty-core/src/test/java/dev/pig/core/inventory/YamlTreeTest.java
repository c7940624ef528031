package dev.pig.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.Diagnostics;

class YamlTreeTest {

    private static YNode.Map parse(String text, Diagnostics d) {
        return (YNode.Map) YamlTree.parse("t.yml", text, d).orElseThrow();
    }

    @Test
    void types_scalars_the_way_ansible_reads_them() {
        assertEquals(true, YamlTree.typed("yes"));
        assertEquals(false, YamlTree.typed("off"));
        assertEquals(5432L, YamlTree.typed("5432"));
        assertEquals(0.25, YamlTree.typed("0.25"));
        assertEquals(420L, YamlTree.typed("0644"));
        assertEquals(null, YamlTree.typed("~"));
        assertEquals("10.10.10.10", YamlTree.typed("10.10.10.10"));
        assertEquals("8GiB", YamlTree.typed("8GiB"));
    }

    @Test
    void quoted_scalars_stay_strings() {
        Diagnostics d = new Diagnostics();
        YNode.Map m = parse("a: '5432'\nb: \"yes\"\n", d);
        assertEquals("5432", m.get("a").plain());
        assertEquals("yes", m.get("b").plain());
    }

    @Test
    void keeps_line_and_column_of_keys_and_values() {
        Diagnostics d = new Diagnostics();
        YNode.Map m = parse("all:\n  vars:\n    pg_port: 5433\n", d);
        YNode.Map vars = (YNode.Map) ((YNode.Map) m.get("all")).get("vars");
        YNode.Entry e = vars.entries().get("pg_port");
        assertEquals(3, e.keySource().line());
        assertEquals(5, e.keySource().column());
        assertEquals(14, e.value().source().column());
    }

    @Test
    void reports_a_duplicate_key_with_both_lines() {
        Diagnostics d = new Diagnostics();
        parse("a: 1\nb: 2\na: 3\n", d);
        assertEquals(1, d.errors().size());
        assertTrue(d.errors().get(0).summary().contains("duplicate key 'a'"));
        assertEquals(3, d.errors().get(0).source().line());
        assertTrue(d.errors().get(0).hint().contains("line 1"));
    }

    @Test
    void expands_merge_keys_with_explicit_keys_winning() {
        Diagnostics d = new Diagnostics();
        YNode.Map m = parse("base: &b { x: 1, y: 2 }\nuse:\n  <<: *b\n  y: 3\n", d);
        assertFalse(d.hasErrors(), d.render());
        assertEquals(Map.of("x", 1L, "y", 3L), m.get("use").plain());
    }

    @Test
    void refuses_an_alias_bomb_without_expanding_it() {
        StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        String prev = "a";
        for (int i = 0; i < 12; i++) {
            String name = "l" + i;
            b.append(name).append(": &").append(name).append(" [");
            b.append(String.join(", ", java.util.Collections.nCopies(10, "*" + prev)));
            b.append("]\n");
            prev = name;
        }
        Diagnostics d = new Diagnostics();
        long start = System.nanoTime();
        YamlTree.parse("bomb.yml", b.toString(), d);
        assertTrue(d.hasErrors());
        assertTrue(d.errors().get(0).summary().contains("alias"), d.render());
        // not a timing assertion: a guard that the parse did not expand 10^13 values
        assertTrue(System.nanoTime() - start < 30_000_000_000L);
    }

    @Test
    void a_self_referencing_alias_is_an_error_not_a_hang() {
        Diagnostics d = new Diagnostics();
        YamlTree.parse("r.yml", "a: &a [ 1, *a ]\n", d);
        assertTrue(d.hasErrors());
    }

    @Test
    void reports_syntax_errors_with_position() {
        Diagnostics d = new Diagnostics();
        YamlTree.parse("bad.yml", "a: [1, 2\nb: 3\n", d);
        assertEquals(1, d.errors().size());
        assertTrue(d.errors().get(0).summary().startsWith("the file is not valid YAML"));
        assertTrue(d.errors().get(0).source().line() > 0);
    }

    @Test
    void an_empty_document_is_reported() {
        Diagnostics d = new Diagnostics();
        assertTrue(YamlTree.parse("e.yml", "# nothing\n", d).isEmpty());
        assertEquals("the inventory is empty", d.errors().get(0).summary());
    }

    @Test
    void plain_converts_nested_values() {
        Diagnostics d = new Diagnostics();
        YNode.Map m = parse("l: [ { name: a }, b ]\n", d);
        assertEquals(List.of(Map.of("name", "a"), "b"), m.get("l").plain());
    }
}
