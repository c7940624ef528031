package dev.pig.core.template;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Serialize;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.emitter.Emitter;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import dev.pig.core.ssh.Shell;
import freemarker.template.Configuration;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateBooleanModel;

/**
 * How a value of the inventory is written into each file format pig renders, as functions every
 * template can call. Text from an inventory never reaches a file unescaped: a newline would add a
 * line of its own (a second {@code stats auth} admin in haproxy.cfg, another key in patroni.yml),
 * a {@code #} would cut the value short.
 *
 * <pre>
 * scope: ${yaml(pg_cluster)}                   YAML scalar, emitted by the YAML library
 * ${yamlKey(k)}: ${yaml(v)}                    a key: plain when it is a plain name
 * SOCKET='${sh(pg_localhost)}'  -> SOCKET=${sh(pg_localhost)}   a POSIX shell word
 * stats auth ${haproxy(user + ":" + password)}   an HAProxy word, double-quoted
 * ARGS=${env(exporter_args)}                   a systemd EnvironmentFile value
 * SOCKET_DIR = ${py(pg_localhost)}             a Python string
 * requirepass ${redis(redis_password)}          a word of redis.conf (and of a redis-cli command line read on stdin)
 * &lt;td&gt;${html(pg_cluster)}&lt;/td&gt;               HTML text or attribute value
 * server_name ${nginx(domain)};                an nginx word, double-quoted
 * admin_password = ${ini(password)}            a Grafana ini value, triple-quoted
 * s3proxy.credential=${properties(secret)}     a value of a Java .properties file
 * </pre>
 */
public final class Formats {
    /** Names written plainly as YAML keys; anything else is quoted by the library. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    /** Words YAML 1.1 (Patroni's PyYAML) reads as booleans or null: never plain. */
    private static final Set<String> YAML11_WORDS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");

    private Formats() {
    }

    static void install(Configuration c) {
        c.setSharedVariable("yaml", (TemplateMethodModelEx) args -> yaml(text(args, "yaml")));
        c.setSharedVariable("yamlKey", (TemplateMethodModelEx) args -> yamlKey(text(args, "yamlKey")));
        c.setSharedVariable("sh", (TemplateMethodModelEx) args -> Shell.quote(text(args, "sh")));
        c.setSharedVariable("haproxy", (TemplateMethodModelEx) args -> haproxy(text(args, "haproxy")));
        c.setSharedVariable("env", (TemplateMethodModelEx) args -> env(text(args, "env")));
        c.setSharedVariable("py", (TemplateMethodModelEx) args -> py(text(args, "py")));
        c.setSharedVariable("redis", (TemplateMethodModelEx) args -> redis(text(args, "redis")));
        c.setSharedVariable("html", (TemplateMethodModelEx) args -> html(text(args, "html")));
        c.setSharedVariable("nginx", (TemplateMethodModelEx) args -> nginx(text(args, "nginx")));
        c.setSharedVariable("ini", (TemplateMethodModelEx) args -> ini(text(args, "ini")));
        c.setSharedVariable("properties", (TemplateMethodModelEx) args -> properties(text(args, "properties")));
    }

    private static String text(List<?> args, String fn) throws TemplateModelException {
        if (args.size() != 1) {
            throw new TemplateModelException(fn + "() takes one value");
        }
        Object a = args.get(0);
        if (a instanceof TemplateScalarModel s) {
            return s.getAsString();
        }
        if (a instanceof TemplateNumberModel n) {
            return String.valueOf(n.getAsNumber());
        }
        if (a instanceof TemplateBooleanModel b) {
            return String.valueOf(b.getAsBoolean());
        }
        throw new TemplateModelException(fn + "() takes a string, not " + a);
    }

    /**
     * A YAML string scalar, as snakeyaml-engine emits it: single-quoted, or double-quoted with
     * escapes when the text holds a control character, on one line however long.
     */
    static String yaml(String s) {
        // a line break or a control character is written as an escape, on the same line
        boolean control = s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f || ch >= 0x80 && ch < 0xa0);
        return emit(s, control ? ScalarStyle.DOUBLE_QUOTED : ScalarStyle.SINGLE_QUOTED);
    }

    /** A mapping key: plain when it is a plain name YAML 1.1 reads as a string, else quoted. */
    static String yamlKey(String s) {
        if (PLAIN_KEY.matcher(s).matches() && !YAML11_WORDS.contains(s.toLowerCase(java.util.Locale.ROOT))) {
            return s;
        }
        return yaml(s);
    }

    private static String emit(String s, ScalarStyle style) {
        DumpSettings settings = DumpSettings.builder().setDefaultScalarStyle(style).setDefaultFlowStyle(FlowStyle.FLOW)
                .setWidth(Integer.MAX_VALUE).setSplitLines(false).setExplicitStart(false).setExplicitEnd(false).build();
        StringBuilderStream out = new StringBuilderStream();
        Serialize serialize = new Serialize(settings);
        Emitter emitter = new Emitter(settings, out);
        serialize.serializeOne(new ScalarNode(Tag.STR, s, style)).forEach(emitter::emit);
        return out.toString().strip();
    }

    /**
     * An HAProxy configuration word: double quotes, with {@code \}, {@code "} and {@code $}
     * (environment expansion) escaped, so a {@code #} or a space stays part of the value.
     */
    static String haproxy(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }

    /**
     * A value of a systemd environment file ({@code EnvironmentFile=}): single-quoted as it is,
     * or double-quoted with {@code \} and {@code "} escaped when it holds a quote or a backslash.
     */
    static String env(String s) {
        if (s.indexOf('\'') < 0 && s.indexOf('\\') < 0 && s.chars().noneMatch(c -> c < 0x20)) {
            return "'" + s + "'";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * A value of a Java {@code .properties} file as {@code Properties.load} reads it back: a
     * backslash and line breaks escaped, leading blanks kept by escaping them, and every character
     * outside printable ASCII written as a Unicode escape (backslash, u, four hex digits), since a stream is read as ISO-8859-1.
     */
    static String properties(String s) {
        StringBuilder b = new StringBuilder();
        boolean leading = true;
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\f' -> b.append("\\f");
                case ' ' -> b.append(leading ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
            leading = leading && c == ' ';
        }
        return b.toString();
    }

    /** A Python string literal: a JSON string, which Python reads the same. */
    static String py(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Redis reads as one word of a config line as it is: no space, quote, backslash or '#'. */
    private static final Pattern REDIS_PLAIN = Pattern.compile("[A-Za-z0-9._:/@,+=%*~!?^-]+");

    /**
     * A word of redis.conf, which Redis splits as it splits a redis-cli command line (its
     * {@code sdssplitargs}): plain when it holds nothing that function treats specially, else
     * double-quoted with {@code \}, {@code "} and control characters escaped, so a space, a
     * quote or a newline stays part of the value instead of starting another word or line.
     */
    public static String redis(String s) {
        if (REDIS_PLAIN.matcher(s).matches()) {
            return s;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** HTML text or a double-quoted attribute value: {@code & < > " '} as entities. */
    static String html(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * An nginx configuration word: double quotes with {@code \} and {@code "} escaped, so a space,
     * {@code ;} or <code>{</code> stays inside the value. nginx still expands {@code $variables}
     * in some directives, so validation refuses {@code $} where a value reaches one.
     */
    static String nginx(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * A value of Grafana's ini file in triple quotes, the one quoting Grafana reads a {@code #} or
     * {@code ;} inside of; validation refuses the value that holds {@code """} itself.
     */
    static String ini(String s) {
        return "\"\"\"" + s + "\"\"\"";
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Collects what the emitter writes. */
    private static final class StringBuilderStream implements org.snakeyaml.engine.v2.api.StreamDataWriter {
        private final StringBuilder b = new StringBuilder();

        @Override
        public void write(String str) {
            b.append(str);
        }

        @Override
        public void write(String str, int off, int len) {
            b.append(str, off, off + len);
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
