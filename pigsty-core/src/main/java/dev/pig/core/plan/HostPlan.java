package dev.pig.core.plan;

import dev.pig.core.fact.FactRequest;

import java.util.List;

/**
 * The plan of one host.
 *
 * @param factsFingerprint the fingerprint of the facts it was planned from; apply refuses the host
 *                         when a fresh gathering gives a different one
 * @param request          the fact request, so apply can repeat the exact query
 * @param error            why the host could not be planned (unreachable, ...), or null
 */
public record HostPlan(String host, String factsFingerprint, FactRequest request, List<Change> changes, String error) {

    public HostPlan {
        changes = List.copyOf(changes);
    }

    public static HostPlan failed(String host, String error) {
        return new HostPlan(host, "", FactRequest.empty(), List.of(), error);
    }

    public List<Change.Act> actions() {
        return changes.stream().filter(c -> c instanceof Change.Act).map(c -> (Change.Act) c).toList();
    }
}
