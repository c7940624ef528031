package dev.pig.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Pigsty's {@code pg_rto} modes, which pick a row of {@code pg_rto_plan}. A number of seconds
 * maps to the nearest mode: under 30 fast, under 60 norm, under 120 safe, else wide.
 */
public enum RtoMode {
    FAST, NORM, SAFE, WIDE;

    /** The mode of a {@code pg_rto} value: a mode name or positive seconds; empty for anything else. */
    public static Optional<RtoMode> of(Object pgRto) {
        if (pgRto instanceof Number n) {
            return n.doubleValue() > 0 && n.doubleValue() == Math.rint(n.doubleValue()) ? Optional.of(ofSeconds(n.longValue())) : Optional.empty();
        }
        String s = String.valueOf(pgRto).trim().toLowerCase(Locale.ROOT);
        if (s.matches("[0-9]{1,9}")) {
            long secs = Long.parseLong(s);
            return secs > 0 ? Optional.of(ofSeconds(secs)) : Optional.empty();
        }
        for (RtoMode m : values()) {
            if (m.key().equals(s)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static RtoMode ofSeconds(long s) {
        return s < 30 ? FAST : s < 60 ? NORM : s < 120 ? SAFE : WIDE;
    }

    /** The key of its row in {@code pg_rto_plan}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
