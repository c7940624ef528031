package dev.pig.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;
import dev.pig.core.inventory.YNode;
import dev.pig.core.param.ParamCatalog;
import dev.pig.core.param.ParamText;

/**
 * Typed reads of the fields of one inventory entry (a user, a database, an HBA rule ...), each
 * wrong type reported as a diagnostic at the field's own position.
 */
final class Fields {
    private final YNode.Map map;
    private final String what;
    private final Diagnostics diags;

    Fields(YNode.Map map, String what, Diagnostics diags) {
        this.map = map;
        this.what = what;
        this.diags = diags;
    }

    /** Warns about keys outside {@code known}, with the closest known key as a suggestion. */
    Fields known(Set<String> known) {
        for (YNode.Entry e : map.entries().values()) {
            if (!known.contains(e.key())) {
                String close = known.stream().min(java.util.Comparator.comparingInt(k -> ParamCatalog.distance(k, e.key()))).orElse("");
                String hint = ParamCatalog.distance(close, e.key()) <= 2 ? "Did you mean '" + close + "'?"
                        : "Known fields: " + String.join(", ", new java.util.TreeSet<>(known)) + ".";
                diags.warning(what + " has an unknown field '" + e.key() + "'; pig ignores it", e.keySource(), hint);
            }
        }
        return this;
    }

    YNode node(String key) {
        return map.get(key);
    }

    /** Where the value of {@code key} is written; the entry's own position when the key is absent. */
    Source source(String key) {
        YNode n = map.get(key);
        return n != null && n.source().known() ? n.source() : map.source();
    }

    Optional<String> string(String key) {
        YNode n = map.get(key);
        if (n == null || n instanceof YNode.Scalar s && s.value() == null) {
            return Optional.empty();
        }
        if (n instanceof YNode.Scalar s) {
            return Optional.of(String.valueOf(s.value()));
        }
        wrong(key, n, "a string");
        return Optional.empty();
    }

    String string(String key, String dflt) {
        return string(key).orElse(dflt);
    }

    boolean bool(String key, boolean dflt) {
        YNode n = map.get(key);
        if (n == null || n instanceof YNode.Scalar s && s.value() == null) {
            return dflt;
        }
        if (n instanceof YNode.Scalar s && s.value() instanceof Boolean b) {
            return b;
        }
        wrong(key, n, "true or false");
        return dflt;
    }

    Optional<Integer> integer(String key) {
        YNode n = map.get(key);
        if (n == null || n instanceof YNode.Scalar s && s.value() == null) {
            return Optional.empty();
        }
        if (n instanceof YNode.Scalar s && s.value() instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return Optional.of(l.intValue());
        }
        wrong(key, n, "an integer");
        return Optional.empty();
    }

    int integer(String key, int dflt) {
        return integer(key).orElse(dflt);
    }

    /** A list of strings; a single string is taken as a list of one. */
    List<String> strings(String key) {
        YNode n = map.get(key);
        List<String> out = new ArrayList<>();
        if (n == null || n instanceof YNode.Scalar s && s.value() == null) {
            return out;
        }
        if (n instanceof YNode.Scalar s) {
            out.add(String.valueOf(s.value()));
        } else if (n instanceof YNode.Seq seq) {
            for (YNode i : seq.items()) {
                if (i instanceof YNode.Scalar s && s.value() != null) {
                    out.add(String.valueOf(s.value()));
                } else {
                    wrong(key, i, "a list of strings");
                }
            }
        } else {
            wrong(key, n, "a list");
        }
        return List.copyOf(out);
    }

    Map<String, Object> dict(String key) {
        YNode n = map.get(key);
        if (n == null || n instanceof YNode.Scalar s && s.value() == null) {
            return Map.of();
        }
        if (n instanceof YNode.Map m) {
            return YNode.plainMap(m);
        }
        wrong(key, n, "a mapping");
        return Map.of();
    }

    private void wrong(String key, YNode n, String expected) {
        diags.error(what + ": field '" + key + "' must be " + expected + ", got "
                        + (n instanceof YNode.Scalar s ? ParamText.inline(s.value()) : YNode.kindOf(n)),
                n.source(), "Fix the value of '" + key + "'.");
    }
}
