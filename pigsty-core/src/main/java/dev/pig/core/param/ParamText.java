package dev.pig.core.param;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Short one-line renderings of parameter values, for tables and messages. */
public final class ParamText {
    private ParamText() {
    }

    /** Flow-style YAML for a value: {@code [a, b]}, {@code {k: v}}, {@code ''} for empty strings. */
    public static String inline(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return s.isEmpty() || s.contains(": ") || s.contains(",") || s.startsWith("{") || s.startsWith("[")
                    || s.startsWith("*") || s.startsWith("&") || s.contains("#")
                    ? "'" + s.replace("'", "''") + "'" : s;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ParamText::inline).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> e.getKey() + ": " + inline(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(v);
    }
}
