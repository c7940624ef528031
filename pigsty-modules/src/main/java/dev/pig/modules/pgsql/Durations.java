package dev.pig.modules.pgsql;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pigsty's durations ({@code pg_delay: 1h}) as PostgreSQL writes a time. */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d|w|y)?");

    private Durations() {
    }

    /**
     * {@code 1h} stays, {@code 30m} becomes {@code 30min}, weeks and years become days; a bare
     * number is milliseconds, PostgreSQL's unit for recovery_min_apply_delay. Empty for 0 or nothing.
     */
    static Optional<String> pg(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        String s = String.valueOf(value).trim();
        Matcher mt = DURATION.matcher(s);
        if (s.isEmpty() || !mt.matches() || Double.parseDouble(mt.group(1)) == 0) {
            return Optional.empty();
        }
        String n = mt.group(1);
        String unit = mt.group(2) == null ? "ms" : mt.group(2);
        return Optional.of(switch (unit) {
            case "m" -> n + "min";
            case "w" -> new BigDecimal(n).multiply(BigDecimal.valueOf(7)).stripTrailingZeros().toPlainString() + "d";
            case "y" -> new BigDecimal(n).multiply(BigDecimal.valueOf(365)).stripTrailingZeros().toPlainString() + "d";
            default -> n + unit;
        });
    }
}
