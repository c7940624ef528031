package dev.pig.core.task;

import dev.pig.core.plan.Masker;

import dev.pig.core.fact.HostFacts;

import java.util.Collection;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What earlier tasks of the same host plan decided, for later ones: which paths will change (so a
 * unit restarts only when its config does) and the masker for what is shown.
 */
public final class PlanContext {
    private final Masker masker;
    private final Map<String, HostFacts> fleet;
    private final Set<String> changedPaths = new LinkedHashSet<>();

    public PlanContext(Masker masker) {
        this(masker, Map.of());
    }

    /**
     * @param fleet the facts of every host of the run, by host, for tasks whose desired state
     *              depends on other hosts (an etcd member joining a running cluster)
     */
    public PlanContext(Masker masker, Map<String, HostFacts> fleet) {
        this.masker = masker;
        this.fleet = Map.copyOf(fleet);
    }

    /** Facts of every reachable host of this run, by host. */
    public Map<String, HostFacts> fleet() {
        return fleet;
    }

    public Masker masker() {
        return masker;
    }

    /** Records that this plan changes {@code path}. */
    public void changed(String path) {
        changedPaths.add(path);
    }

    /** The first of {@code paths} that this plan changes, or null. */
    public String firstChanged(Collection<String> paths) {
        return paths.stream().filter(changedPaths::contains).findFirst().orElse(null);
    }
}
