package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** pg_rto_plan's HAProxy times, written the way HAProxy reads them. */
class RtoPlanTest {

    @Test
    void a_fraction_of_a_second_becomes_milliseconds_since_haproxy_refuses_a_decimal_point() {
        assertEquals("500ms", RtoPlan.haproxyTime("0.5s"));
        assertEquals("1500ms", RtoPlan.haproxyTime("1.5s"));
        assertEquals("90000ms", RtoPlan.haproxyTime("1.5m"));
        assertEquals("250us", RtoPlan.haproxyTime("0.25ms"));
    }

    @Test
    void whole_times_are_written_as_given() {
        assertEquals("2s", RtoPlan.haproxyTime("2s"));
        assertEquals("1500", RtoPlan.haproxyTime("1500"));
        assertEquals("300ms", RtoPlan.haproxyTime(" 300ms "));
    }

    @Test
    void what_is_not_a_time_is_refused() {
        assertEquals("'fast' is not a time HAProxy reads: a number with us, ms, s, m, h or d",
                assertThrows(IllegalArgumentException.class, () -> RtoPlan.haproxyTime("fast")).getMessage());
    }
}
