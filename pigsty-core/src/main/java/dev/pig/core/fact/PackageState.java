package dev.pig.core.fact;

import java.util.Optional;

/**
 * An OS package as the package manager sees it.
 *
 * @param version   the installed version ({@code 1:9.2p1-2+deb12u3}, {@code 16.4-1PGDG.rhel9}), empty when absent
 * @param candidate for a package not installed, what apt would install: a version, {@code none}
 *                  when no package source has it, empty when not known (no package lists yet, or
 *                  not a Debian host)
 */
public record PackageState(String name, boolean installed, String version, String candidate) {

    public PackageState(String name, boolean installed, String version) {
        this(name, installed, version, "");
    }

    public PackageState {
        candidate = candidate == null ? "" : candidate;
    }

    /**
     * Whether the host's package sources have the package: empty when its package lists do
     * not say (never fetched), so only a known "no" refuses a plan.
     */
    public Optional<Boolean> available() {
        if (installed) {
            return Optional.of(true);
        }
        return candidate.isEmpty() ? Optional.empty() : Optional.of(!candidate.equals("none"));
    }
}
