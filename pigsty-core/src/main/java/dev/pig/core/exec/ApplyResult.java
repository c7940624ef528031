package dev.pig.core.exec;

import java.util.List;
import java.util.Map;

/**
 * The outcome of an apply.
 *
 * @param changed  per host, how many changes were applied
 * @param failures every host that stopped, with the step and error
 */
public record ApplyResult(Map<String, Integer> changed, List<HostFailure> failures) {
    public ApplyResult {
        changed = Map.copyOf(changed);
        failures = List.copyOf(failures);
    }

    public boolean ok() {
        return failures.isEmpty();
    }
}
