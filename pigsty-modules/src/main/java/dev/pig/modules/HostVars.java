package dev.pig.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Secret;

/**
 * Typed reads of one host's resolved parameters (inventory value, else the catalog default).
 * Types were checked when the inventory was loaded, so a mismatch here is a bug; so is a name the
 * catalog does not know: every read throws {@link IllegalArgumentException} naming it, so that
 * {@code str("pg_prot")} fails the first test that reaches it instead of reading as empty.
 */
public final class HostVars {
    private final ClusterModel.HostVars vars;

    public HostVars(ClusterModel.HostVars vars) {
        this.vars = vars;
    }

    public Object raw(String name) {
        return vars.value(name);
    }

    public String str(String name) {
        Object v = vars.value(name);
        return v == null ? "" : String.valueOf(v);
    }

    public int integer(String name) {
        Object v = vars.value(name);
        if (v instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalStateException(name + " is not a number: " + v);
    }

    public double number(String name) {
        Object v = vars.value(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalStateException(name + " is not a number: " + v);
    }

    public boolean bool(String name) {
        return Boolean.TRUE.equals(vars.value(name));
    }

    public Secret secret(String name) {
        return new Secret(str(name));
    }

    /** A list parameter as strings; null or absent is empty. */
    public List<String> strings(String name) {
        Object v = vars.value(name);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        } else if (v instanceof String s && !s.isBlank()) {
            for (String part : s.split(",")) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** A mapping parameter; null or absent is empty. */
    public Map<String, Object> dict(String name) {
        Object v = vars.value(name);
        Map<String, Object> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> out.put(String.valueOf(k), x));
        }
        return out;
    }
}
