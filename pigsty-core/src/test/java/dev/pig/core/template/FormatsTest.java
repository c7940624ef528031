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
    void a_properties_value_reads_back_as_written_through_a_byte_stream() throws java.io.IOException {
        for (String hostile : new String[]{"S3User.Backup", "  lead", "a\\b", "x\ns3proxy.identity=root", "#not a comment", "k=v:w",
                "caf\u00e9 \u2603", "tab\tend", "trail "}) {
            java.util.Properties p = new java.util.Properties();
            String file = "s3proxy.credential=" + Formats.properties(hostile) + "\n";
            p.load(new java.io.ByteArrayInputStream(file.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            assertEquals(Map.of("s3proxy.credential", hostile), Map.copyOf(p), hostile);
        }
    }

    @Test
    void templates_can_call_the_formats() {
        String out = Templates.builtIn().renderString("t", "a: ${yaml(v)}\nb: ${sh(v)}\n", Map.of("v", "x'y"));
        assertEquals("a: 'x''y'\nb: 'x'\"'\"'y'\n", out);
    }
}
