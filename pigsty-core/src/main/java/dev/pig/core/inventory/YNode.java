package dev.pig.core.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.diag.Source;

/**
 * A YAML value that remembers where it was written. Scalars are already typed the way Ansible
 * reads them (YAML 1.1 booleans such as {@code yes}/{@code no}, integers, floats, null).
 */
public sealed interface YNode permits YNode.Scalar, YNode.Seq, YNode.Map {

    Source source();

    /** The value as plain Java data: String, Long, Double, Boolean, null, List, LinkedHashMap. */
    Object plain();

    /** A scalar: String, Long, Double, Boolean or null. {@code raw} is the text as written. */
    record Scalar(Object value, String raw, boolean quoted, Source source) implements YNode {
        @Override
        public Object plain() {
            return value;
        }
    }

    /** A sequence. */
    record Seq(List<YNode> items, Source source) implements YNode {
        @Override
        public Object plain() {
            List<Object> out = new ArrayList<>(items.size());
            for (YNode n : items) {
                out.add(n.plain());
            }
            return out;
        }
    }

    /** A mapping with string keys, in file order; each entry keeps the key's own position. */
    record Map(java.util.Map<String, Entry> entries, Source source) implements YNode {
        public YNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        @Override
        public Object plain() {
            java.util.Map<String, Object> out = new LinkedHashMap<>();
            for (java.util.Map.Entry<String, Entry> e : entries.entrySet()) {
                out.put(e.getKey(), e.getValue().value().plain());
            }
            return out;
        }
    }

    /** One key of a mapping: where the key was written, and its value. */
    record Entry(String key, Source keySource, YNode value) {
    }

    /** Wraps plain data (from a default or the command line) with one position for all of it. */
    static YNode of(Object plain, Source source) {
        if (plain instanceof List<?> list) {
            List<YNode> items = new ArrayList<>();
            for (Object o : list) {
                items.add(of(o, source));
            }
            return new Seq(items, source);
        }
        if (plain instanceof java.util.Map<?, ?> map) {
            java.util.Map<String, Entry> entries = new LinkedHashMap<>();
            for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
                String k = String.valueOf(e.getKey());
                entries.put(k, new Entry(k, source, of(e.getValue(), source)));
            }
            return new Map(entries, source);
        }
        return new Scalar(plain, plain == null ? "" : String.valueOf(plain), false, source);
    }

    /** A short description of the kind of value, for messages. */
    static String kindOf(YNode n) {
        if (n instanceof Seq) {
            return "a list";
        }
        if (n instanceof Map) {
            return "a mapping";
        }
        Object v = ((Scalar) n).value();
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Long) {
            return "an integer";
        }
        if (v instanceof Double) {
            return "a number";
        }
        return "a string";
    }

    /** Collects the plain values of a mapping without positions. */
    static java.util.Map<String, Object> plainMap(Map m) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> out = (java.util.Map<String, Object>) m.plain();
        return out;
    }
}
