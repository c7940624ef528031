package dev.pig.core.exec;

import java.util.List;
import java.util.Map;

/**
 * The outcome of an apply.
 *
 * @param changed  per host, how many changes were applied
 * @param failures every host that stopped, with the step and error
 * @param pending  per host that stopped, the tasks of its plan it was left without: the one that
 *                 failed and every one after it, in order
 */
public record ApplyResult(Map<String, Integer> changed, List<HostFailure> failures, Map<String, List<String>> pending) {
    public ApplyResult {
        changed = Map.copyOf(changed);
        failures = List.copyOf(failures);
        pending = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pending));
    }

    public ApplyResult(Map<String, Integer> changed, List<HostFailure> failures) {
        this(changed, failures, Map.of());
    }

    public boolean ok() {
        return failures.isEmpty();
    }
}
