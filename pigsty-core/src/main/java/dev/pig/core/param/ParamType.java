package dev.pig.core.param;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.pig.core.model.Net;

/** The type of a parameter's value, and how a value is checked against it. */
public enum ParamType {
    BOOL, INT, FLOAT, PORT, STRING, ENUM, IP, CIDR,
    /**
     * A path on the managed hosts: absolute, since commands run as root from whatever directory
     * the login lands in, and a relative path would write somewhere nobody meant.
     */
    PATH,
    /** A file on the machine running pig (a private key): absolute, {@code ~/...} or relative to the current directory. */
    LOCALPATH,
    URL, SIZE, INTERVAL, LIST, DICT, SECRET, ANY;

    private static final Pattern SIZE_RE = Pattern.compile("\\d+(\\.\\d+)?\\s*([kKmMgGtTpP]i?[bB]?|[bB])?");
    private static final Pattern QUOTED_INT = Pattern.compile("[-+]?[0-9]{1,18}");
    private static final Pattern INTERVAL_RE = Pattern.compile("\\d+(\\.\\d+)?\\s*(ms|s|m|min|h|d|w|y)?");

    static ParamType of(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Checks a value; returns what is wrong with it, or empty. Null is accepted for every type:
     * it means "not set". Strings with Ansible templates ({@code {{ ... }}}) or pig placeholders
     * ({@code ${...}}) are accepted where a scalar is expected, since their value is known later.
     */
    public Optional<String> check(Object v, List<String> values) {
        if (v == null || isTemplate(v)) {
            return Optional.empty();
        }
        return switch (this) {
            case BOOL -> v instanceof Boolean ? ok() : bad("a boolean (true or false)", v);
            case INT -> integer(v).isPresent() ? ok() : bad("an integer", v);
            case FLOAT -> v instanceof Long || v instanceof Double ? ok() : bad("a number", v);
            case PORT -> integer(v).filter(p -> p >= 1 && p <= 65535).isPresent() ? ok() : bad("a port number (1-65535)", v);
            case STRING, LOCALPATH, URL, SECRET -> isScalar(v) ? ok() : bad("a string", v);
            case PATH -> v instanceof String s && s.startsWith("/") ? ok() : bad("an absolute path (starting with /)", v);
            case ENUM -> isScalar(v) && values.contains(String.valueOf(enumText(v, values))) ? ok()
                    : bad("one of " + String.join(", ", values), v);
            case IP -> v instanceof String s && (Net.isIp(s) || Net.isHostname(s)) ? ok() : bad("an IP address", v);
            case CIDR -> v instanceof String s && Net.isCidr(s) ? ok() : bad("an address with prefix length, like 10.10.10.2/24", v);
            case SIZE -> v instanceof Long || v instanceof String s && SIZE_RE.matcher(s).matches() ? ok()
                    : bad("a size like 64MB or 8GiB", v);
            case INTERVAL -> v instanceof Long || v instanceof String s && INTERVAL_RE.matcher(s).matches() ? ok()
                    : bad("a duration like 10s, 5min or 1d", v);
            case LIST -> v instanceof List ? ok() : bad("a list", v);
            case DICT -> v instanceof Map ? ok() : bad("a mapping", v);
            case ANY -> ok();
        };
    }

    /**
     * An integer value, also when written quoted ({@code pg_port: "5432"}): Ansible passes such a
     * string on and the module reads it as a number, so Pigsty inventories carry them.
     */
    public static Optional<Long> integer(Object v) {
        if (v instanceof Long l) {
            return Optional.of(l);
        }
        if (v instanceof String s && QUOTED_INT.matcher(s.strip()).matches()) {
            try {
                return Optional.of(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The value a parameter of this type is used as: quoted integers become numbers. */
    public Object normalise(Object v) {
        return normalise(v, List.of());
    }

    /**
     * The value a parameter of this type is used as: quoted integers become numbers, and an
     * unquoted {@code off} or {@code on} of an enum that has them is that word again.
     */
    public Object normalise(Object v, List<String> values) {
        if ((this == INT || this == PORT) && v instanceof String) {
            return integer(v).<Object>map(l -> l).orElse(v);
        }
        if (this == ENUM) {
            return enumText(v, values);
        }
        return v;
    }

    /**
     * YAML 1.1 reads an unquoted {@code off} as false, so {@code patroni_watchdog_mode: off}
     * (as Pigsty v3's inventories write it) arrives as a boolean; Ansible passed it on the same
     * way and Pigsty compared it with 'off'.
     */
    private static Object enumText(Object v, List<String> values) {
        if (v instanceof Boolean b) {
            String word = b ? "on" : "off";
            if (values.contains(word)) {
                return word;
            }
        }
        return v;
    }

    private static boolean isScalar(Object v) {
        return !(v instanceof List) && !(v instanceof Map);
    }

    static boolean isTemplate(Object v) {
        return v instanceof String s && (s.contains("{{") || s.contains("${"));
    }

    private static Optional<String> ok() {
        return Optional.empty();
    }

    private static Optional<String> bad(String expected, Object v) {
        String shown = v instanceof String s ? "'" + s + "'"
                : v instanceof List ? "a list" : v instanceof Map ? "a mapping" : String.valueOf(v);
        return Optional.of("expected " + expected + ", got " + shown);
    }
}
