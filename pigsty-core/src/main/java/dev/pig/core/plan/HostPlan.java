package dev.pig.core.plan;

import dev.pig.core.fact.FactRequest;

import java.util.List;

/**
 * The plan of one host.
 *
 * @param factsFingerprint the fingerprint of the facts it was planned from; apply refuses the host
 *                         when a fresh gathering gives a different one
 * @param request          the fact request, so apply can repeat the exact query
 * @param stages           for each change, the stage it runs in: apply runs a stage on every host
 *                         that has it, in parallel, once every host has finished the earlier
 *                         stages (stages sort as strings), but for local stages
 * @param localStages      the stages among {@code stages} that need nothing from other hosts: this
 *                         host may run them before the other hosts finish earlier stages
 *                         ({@link dev.pig.core.task.Staged#local})
 * @param error            why the host could not be planned (unreachable, ...), or null
 */
public record HostPlan(String host, String factsFingerprint, FactRequest request, List<Change> changes,
                       List<String> stages, List<String> localStages, String error) {

    public HostPlan {
        changes = List.copyOf(changes);
        stages = stages == null || stages.isEmpty() ? byPosition(changes.size()) : List.copyOf(stages);
        if (stages.size() != changes.size()) {
            throw new IllegalArgumentException("one stage per change expected");
        }
        // sorted, so that a plan of the same inputs is written the same way every time
        localStages = localStages == null ? List.of() : localStages.stream().distinct().sorted().toList();
        if (!stages.containsAll(localStages)) {
            throw new IllegalArgumentException("a local stage that is not one of the host's stages");
        }
    }

    /** A plan whose stages all wait for every host. */
    public HostPlan(String host, String factsFingerprint, FactRequest request, List<Change> changes, List<String> stages,
                    String error) {
        this(host, factsFingerprint, request, changes, stages, List.of(), error);
    }

    /** A plan whose changes run in order, step i of every host together. */
    public HostPlan(String host, String factsFingerprint, FactRequest request, List<Change> changes, String error) {
        this(host, factsFingerprint, request, changes, List.of(), error);
    }

    public static HostPlan failed(String host, String error) {
        return new HostPlan(host, "", FactRequest.empty(), List.of(), List.of(), List.of(), error);
    }

    /** Stage names for changes that run by position: 00000, 00001, ... */
    public static List<String> byPosition(int n) {
        List<String> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(String.format("%05d", i));
        }
        return out;
    }

    public List<Change.Act> actions() {
        return changes.stream().filter(c -> c instanceof Change.Act).map(c -> (Change.Act) c).toList();
    }
}
