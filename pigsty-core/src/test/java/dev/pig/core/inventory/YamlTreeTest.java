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

    /** Eight levels of ten aliases of a mapping: 10^8 values once expanded. */
    private static String mapBomb() {
        StringBuilder b = new StringBuilder("l0: &l0 { a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x, j: x }\n");
        for (int i = 1; i <= 8; i++) {
            b.append('l').append(i).append(": &l").append(i).append(" {");
            for (int k = 0; k < 10; k++) {
                b.append(k == 0 ? " " : ", ").append("k").append(k).append(": *l").append(i - 1);
            }
            b.append(" }\n");
        }
        return b.toString();
    }

    @Test
    void measures_an_alias_bomb_visiting_each_written_node_once() {
        org.snakeyaml.engine.v2.nodes.Node root = new org.snakeyaml.engine.v2.api.lowlevel.Compose(YamlTree.settings("bomb.yml"))
                .composeString(mapBomb()).orElseThrow();
        YamlTree.Expansion size = new YamlTree.Expansion(YamlTree.MAX_NODES);
        assertEquals(YamlTree.MAX_NODES + 1, size.of(root));
        // 9 mappings and 10 scalars as written, plus the document: the expansion is never walked
        assertTrue(size.visits() <= 25, "visited " + size.visits() + " nodes");
        assertEquals(5, size.culprit().getStartMark().orElseThrow().getLine() + 1, "the first value too large by itself");
    }

    @Test
    void refuses_an_alias_bomb_without_converting_any_of_it() {
        Diagnostics d = new Diagnostics();
        assertTrue(YamlTree.parse("bomb.yml", mapBomb(), d).isEmpty());
        assertEquals(1, d.errors().size(), d.render());
        assertEquals("the file's YAML aliases expand to more than 100000 values beyond those written", d.errors().get(0).summary());
        assertEquals(5, d.errors().get(0).source().line(), "l4, the first level above the limit");
    }

    @Test
    void counts_a_large_inventory_without_aliases_exactly() {
        StringBuilder b = new StringBuilder("hosts:\n");
        for (int i = 0; i < 1000; i++) {
            b.append("  h").append(i).append(": { pg_seq: 1, pg_role: replica }\n");
        }
        org.snakeyaml.engine.v2.nodes.Node root = new org.snakeyaml.engine.v2.api.lowlevel.Compose(YamlTree.settings("big.yml"))
                .composeString(b.toString()).orElseThrow();
        // the document, 'hosts', and per host its mapping and two values
        assertEquals(2 + 1000 * 3, new YamlTree.Expansion(YamlTree.MAX_NODES).of(root));
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
    void an_unclosed_flow_mapping_is_reported_where_parsing_stopped_and_where_it_was_opened() {
        Diagnostics d = new Diagnostics();
        YamlTree.parse("bad.yml", "all:\n  hosts:\n    h1: { pg_seq: 1, pg_role: primary\n  vars:\n    x: 1\n", d);
        assertEquals(1, d.errors().size(), d.render());
        var e = d.errors().get(0);
        assertTrue(e.summary().contains("the flow mapping '{' opened on line 3, column 9 is not closed"), e.summary());
        assertEquals(4, e.source().line(), "where parsing stopped");
        assertEquals(3, e.related().source().line());
        assertEquals("    h1: { pg_seq: 1, pg_role: primary", e.related().excerpt());
        assertTrue(e.render().contains("the mapping was opened here, line 3, column 9:\n    3 |     h1: {"), e.render());
    }

    @Test
    void an_unclosed_quote_is_reported_with_where_it_was_opened() {
        Diagnostics d = new Diagnostics();
        YamlTree.parse("q.yml", "a: 'open\nb: 2\n", d);
        var e = d.errors().get(0);
        assertTrue(e.summary().contains("the quoted string opened on line 1, column 4 is not closed"), e.summary());
    }

    /** A file of {@code depth} nested flow lists. */
    private static String nested(int depth) {
        return "a: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
    }

    @Test
    void ten_thousand_levels_of_nesting_are_refused_as_a_diagnostic_not_a_stack_overflow() {
        Diagnostics d = new Diagnostics();
        assertTrue(YamlTree.parse("deep.yml", nested(10_000), d).isEmpty());
        assertEquals(1, d.errors().size(), d.render());
        assertEquals("values nest more than " + YamlTree.MAX_DEPTH + " levels deep", d.errors().get(0).summary());
        assertEquals(1, d.errors().get(0).source().line());
        // the document's mapping is the first level: the list opened at column 3 + MAX_DEPTH is one too many
        assertEquals(3 + YamlTree.MAX_DEPTH, d.errors().get(0).source().column());
    }

    @Test
    void nesting_up_to_the_limit_is_read() {
        Diagnostics d = new Diagnostics();
        assertTrue(YamlTree.parse("ok.yml", nested(YamlTree.MAX_DEPTH - 1), d).isPresent(), d.render());
    }

    @Test
    void a_value_longer_than_the_limit_is_refused_with_its_position() {
        Diagnostics d = new Diagnostics();
        YamlTree.parse("big.yml", "a: 1\nb: \"" + "x".repeat(YamlTree.MAX_SCALAR + 1) + "\"\n", d);
        assertEquals(1, d.errors().size(), d.render());
        assertTrue(d.errors().get(0).summary().startsWith("a value of " + (YamlTree.MAX_SCALAR + 1) + " characters"));
        assertEquals(2, d.errors().get(0).source().line());
        assertTrue(d.render().length() < 2_000, "the excerpt of the long line is cut: " + d.render().length());
    }

    @Test
    void a_file_larger_than_the_limit_is_refused_before_parsing() {
        Diagnostics d = new Diagnostics();
        assertTrue(YamlTree.parse("huge.yml", "a: " + "x".repeat(YamlTree.MAX_CHARS), d).isEmpty());
        assertTrue(d.errors().get(0).summary().contains("more than pig reads"), d.render());
    }

    @Test
    void many_values_without_aliases_are_not_taken_for_an_alias_bomb() {
        StringBuilder b = new StringBuilder("a: [");
        for (int i = 0; i < 200_000; i++) {
            b.append(i == 0 ? "" : ",").append('x');
        }
        Diagnostics d = new Diagnostics();
        assertTrue(YamlTree.parse("many.yml", b.append("]\n").toString(), d).isPresent(), d.render());
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
