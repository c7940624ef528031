package dev.pig.modules.pgsql;

import java.util.List;

import dev.pig.core.model.RtoMode;
import dev.pig.modules.HostVars;

/**
 * The timing of failure detection, shared by Patroni and the HAProxy health checks, as Pigsty's
 * {@code pg_rto} picks it from {@code pg_rto_plan}:
 *
 * <pre>
 * pg_rto: norm              # fast | norm | safe | wide, or seconds (mapped to the nearest mode)
 * pg_rto_plan:              # [ttl, loop, retry, start, margin, inter, fastinter, downinter, rise, fall]
 *   norm: [ 24, 4, 10, 25, 5, '2s', '0.5s', '0.5s', 2, 3 ]
 * </pre>
 *
 * A leader whose host is lost keeps its key until the lease ({@code ttl}) runs out, which is
 * {@code ttl - loopWait} to {@code ttl} seconds after the loss; a replica then promotes within
 * a second, and HAProxy puts it in service after {@code rise} checks, the first within
 * {@code downinter}, the others {@code fastinter} apart. pig's fast and norm rows (Pigsty's are
 * 20 and 30 s leases) keep that sum under 15 and 30 s, and {@code loopWait + 2 * retryTimeout <= ttl}
 * as Patroni requires; docs/pgsql.md gives each row's recovery time and false-failover risk.
 *
 * @param ttl                 Patroni's leader lease, seconds
 * @param loopWait            Patroni's loop, seconds
 * @param retryTimeout        Patroni's DCS and PostgreSQL retry timeout, seconds
 * @param primaryStartTimeout how long a crashed primary may take to come back before a failover
 * @param safetyMargin        seconds before the leader lease ends at which Patroni's watchdog fires
 * @param inter               HAProxy check interval of a healthy server
 * @param fastinter           HAProxy check interval while a server changes state
 * @param downinter           HAProxy check interval of a server that is down
 * @param rise                checks in a row that bring a server up
 * @param fall                checks in a row that take a server down
 */
public record RtoPlan(String mode, int ttl, int loopWait, int retryTimeout, int primaryStartTimeout, int safetyMargin,
                      String inter, String fastinter, String downinter, int rise, int fall) {

    public static final List<String> MODES = List.of("fast", "norm", "safe", "wide");

    /** The plan of a host's {@code pg_rto} in its {@code pg_rto_plan}. */
    public static RtoPlan of(HostVars v) {
        String mode = mode(v.raw("pg_rto"));
        Object row = v.dict("pg_rto_plan").get(mode);
        if (!(row instanceof List<?> l) || l.size() != 10) {
            throw new IllegalArgumentException("pg_rto_plan has no row of 10 values for mode '" + mode + "'");
        }
        return new RtoPlan(mode, num(l.get(0)), num(l.get(1)), num(l.get(2)), num(l.get(3)), num(l.get(4)),
                String.valueOf(l.get(5)), String.valueOf(l.get(6)), String.valueOf(l.get(7)), num(l.get(8)), num(l.get(9)));
    }

    /**
     * A mode name as it is, or seconds mapped to the nearest mode: under 30 fast, under 60 norm,
     * under 120 safe, else wide.
     */
    public static String mode(Object pgRto) {
        return RtoMode.of(pgRto).map(RtoMode::key).orElseThrow(() -> new IllegalArgumentException(
                "pg_rto is '" + pgRto + "': use one of " + String.join(", ", MODES) + " or seconds"));
    }

    private static int num(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        return Integer.parseInt(String.valueOf(o).trim());
    }

    /**
     * The longest write outage through HAProxy a lost leader should cause with this plan: its
     * lease running out at worst {@code ttl} seconds after the loss, three seconds for a replica
     * to take the key and promote (Patroni first asks every member's REST API, the lost leader's
     * too, which answers nothing for its 2 s timeout), then the checks that put it in service (the
     * first within {@code downinter}, {@code rise - 1} more {@code fastinter} apart). The drills
     * measure it.
     */
    public double worstCaseRecovery() {
        return ttl + 3 + seconds(downinter) + (rise - 1) * seconds(fastinter);
    }

    /** Patroni's rule: a leader retries a failing DCS twice within its lease before it gives the lease up. */
    public boolean leaseOutlastsRetries() {
        return loopWait + 2 * retryTimeout <= ttl;
    }

    /** HAProxy's {@code 2s}, {@code 500ms} or {@code 0.5s} in seconds. */
    static double seconds(String haproxyTime) {
        String t = haproxyTime.trim();
        if (t.endsWith("ms")) {
            return Double.parseDouble(t.substring(0, t.length() - 2)) / 1000;
        }
        return Double.parseDouble(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
    }

    /**
     * HAProxy's {@code default-server} check timing for this plan. HAProxy takes a whole number
     * of a unit: Pigsty's {@code '0.5s'} is written {@code 500ms}, which HAProxy reads.
     */
    public String haproxyChecks() {
        return "inter " + haproxyTime(inter) + " fastinter " + haproxyTime(fastinter) + " downinter " + haproxyTime(downinter)
                + " rise " + rise + " fall " + fall;
    }

    private static final java.util.regex.Pattern TIME = java.util.regex.Pattern.compile("(\\d+)(?:\\.(\\d+))?(us|ms|s|m|h|d)?");

    /**
     * A time as HAProxy reads it: a whole number and a unit. Pigsty's plan writes {@code 0.5s},
     * which HAProxy refuses ("unexpected character '.'"), so a fraction becomes milliseconds
     * (or microseconds when that is still not whole); whole values are written as given.
     */
    static String haproxyTime(String t) {
        java.util.regex.Matcher m = TIME.matcher(t.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a time HAProxy reads: a number with us, ms, s, m, h or d");
        }
        if (m.group(2) == null) {
            return t.strip();
        }
        String unit = m.group(3) == null ? "ms" : m.group(3);
        long perUnitMicros = switch (unit) {
            case "us" -> 1L;
            case "ms" -> 1_000L;
            case "s" -> 1_000_000L;
            case "m" -> 60_000_000L;
            case "h" -> 3_600_000_000L;
            default -> 86_400_000_000L;
        };
        java.math.BigDecimal micros = new java.math.BigDecimal(m.group(1) + "." + m.group(2))
                .multiply(java.math.BigDecimal.valueOf(perUnitMicros));
        java.math.BigDecimal ms = micros.divide(java.math.BigDecimal.valueOf(1000));
        if (ms.stripTrailingZeros().scale() <= 0) {
            return ms.toBigInteger() + "ms";
        }
        return micros.setScale(0, java.math.RoundingMode.HALF_UP).toBigInteger() + "us";
    }
}
