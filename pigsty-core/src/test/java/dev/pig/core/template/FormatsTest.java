package dev.pig.core.template;

import java.util.ArrayList;
import java.util.List;
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
    void a_redis_word_is_plain_when_redis_reads_it_as_written() {
        assertEquals("allkeys-lru", Formats.redis("allkeys-lru"));
        assertEquals("/data/redis/redis-ms-1-6379", Formats.redis("/data/redis/redis-ms-1-6379"));
        assertEquals("\"\"", Formats.redis(""));
        assertEquals("\"pa ss\\\"w\\\\d\"", Formats.redis("pa ss\"w\\d"));
        assertEquals("\"#x\"", Formats.redis("#x"));
    }

    @Test
    void a_redis_word_reads_back_as_one_argument_whatever_it_holds() {
        for (String hostile : new String[]{"redis.ms", "two words", "a\"b", "a'b", "back\\slash", "#hash", "x\nrequirepass y",
                "\r\t\u0001\u007f", "'", "\"", "\\x41", "ünïcode", "", " lead", "trail "}) {
            List<String> args = splitArgs("requirepass " + Formats.redis(hostile));
            assertEquals(List.of("requirepass", hostile), args, hostile);
        }
    }

    /**
     * Redis's own word splitting (sds.c sdssplitargs), which reads redis.conf lines and the
     * commands redis-cli takes on stdin: the oracle the quoting is checked against.
     */
    static List<String> splitArgs(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && " \n\r\t\f\u000b".indexOf(line.charAt(i)) >= 0) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            StringBuilder cur = new StringBuilder();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                char c = i < n ? line.charAt(i) : '\0';
                if (inq) {
                    if (c == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
                        cur.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        char e = line.charAt(i);
                        cur.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && " \n\r\t".indexOf(line.charAt(i + 1)) < 0) {
                            throw new IllegalArgumentException("unbalanced quotes: " + line);
                        }
                        done = true;
                    } else if (i >= n) {
                        throw new IllegalArgumentException("unterminated quotes: " + line);
                    } else {
                        cur.append(c);
                    }
                } else if (insq) {
                    if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        i++;
                        cur.append('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && " \n\r\t".indexOf(line.charAt(i + 1)) < 0) {
                            throw new IllegalArgumentException("unbalanced quotes: " + line);
                        }
                        done = true;
                    } else if (i >= n) {
                        throw new IllegalArgumentException("unterminated quotes: " + line);
                    } else {
                        cur.append(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', '\0' -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.append(c);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(cur.toString());
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
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
