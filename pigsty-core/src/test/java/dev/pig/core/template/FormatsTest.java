package dev.pig.core.template;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatsTest {

    private static Object load(String yaml) {
        return new Load(LoadSettings.builder().build()).loadFromString(yaml);
    }

    @Test
    void a_yaml_scalar_is_single_quoted_and_reads_back_as_written() {
        assertEquals("'pg-test'", Formats.yaml("pg-test"));
        assertEquals("'it''s'", Formats.yaml("it's"));
        for (String hostile : new String[]{"a: b", "x\nadmin: true", "#comment", "'; rm -rf /", "on", "- item", "{a: 1}", "\t", "\u001b[31m",
                "\"quoted\"", "multi\nline\n"}) {
            Object back = load("k: " + Formats.yaml(hostile) + "\n");
            assertEquals(Map.of("k", hostile), back, hostile);
        }
    }

    @Test
    void a_yaml_key_is_plain_only_when_yaml_1_1_reads_it_as_the_same_string() {
        assertEquals("max_connections", Formats.yamlKey("max_connections"));
        assertEquals("'on'", Formats.yamlKey("on"));
        assertEquals("'a: b'", Formats.yamlKey("a: b"));
        assertEquals(Map.of("x\ny", 1), load(Formats.yamlKey("x\ny") + ": 1\n"));
    }

    @Test
    void an_haproxy_word_keeps_hash_space_quotes_and_dollar_as_text() {
        assertEquals("\"pa#ss word\"", Formats.haproxy("pa#ss word"));
        assertEquals("\"a\\\"b\\\\c\\$HOME\"", Formats.haproxy("a\"b\\c$HOME"));
    }

    @Test
    void templates_can_call_the_formats() {
        String out = Templates.builtIn().renderString("t", "a: ${yaml(v)}\nb: ${sh(v)}\n", Map.of("v", "x'y"));
        assertEquals("a: 'x''y'\nb: 'x'\"'\"'y'\n", out);
    }

    @Test
    void html_text_can_neither_open_a_tag_nor_close_an_attribute() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", Formats.html("<script>alert('x')</script> & \"q\""));
        String out = Templates.builtIn().renderString("t", "<td data-ins=\"${html(v)}\">${html(v)}</td>", Map.of("v", "\"><img src=x onerror=1>"));
        assertEquals("<td data-ins=\"&quot;&gt;&lt;img src=x onerror=1&gt;\">&quot;&gt;&lt;img src=x onerror=1&gt;</td>", out);
    }

    @Test
    void an_nginx_word_keeps_spaces_and_semicolons_inside_its_quotes() {
        assertEquals("\"g.pigsty; return 200\"", Formats.nginx("g.pigsty; return 200"));
        assertEquals("\"a\\\"b\\\\c\"", Formats.nginx("a\"b\\c"));
    }

    @Test
    void an_ini_value_is_triple_quoted_so_hash_and_semicolon_stay_in_it() {
        assertEquals("\"\"\"pa#ss;word\"\"\"", Formats.ini("pa#ss;word"));
    }
}
