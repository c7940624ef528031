package dev.pig.core.fact;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The facts of several hosts, gathered together (one round trip each), and why the other hosts
 * asked could not answer: what planning starts from, and what commands that only read facts
 * show ({@code pig facts}, {@code pig pgsql backup --list}).
 *
 * @param facts    by host, in the order the hosts were asked
 * @param failures why each host that did not answer could not, by host, secrets masked
 */
public record Gathered(Map<String, HostFacts> facts, Map<String, String> failures) {

    public Gathered {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** Nothing gathered yet. */
    public static Gathered none() {
        return new Gathered(Map.of(), Map.of());
    }
}
