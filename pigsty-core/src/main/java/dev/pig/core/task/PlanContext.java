package dev.pig.core.task;

import dev.pig.core.plan.Masker;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What earlier tasks of the same host plan decided, for later ones: which paths will change (so a
 * unit restarts only when its config does) and the masker for what is shown.
 */
public final class PlanContext {
    private final Masker masker;
    private final Set<String> changedPaths = new LinkedHashSet<>();

    public PlanContext(Masker masker) {
        this.masker = masker;
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
