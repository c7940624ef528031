package dev.pig.core.fact;

/**
 * An OS package as the package manager sees it.
 *
 * @param version the installed version ({@code 1:9.2p1-2+deb12u3}, {@code 16.4-1PGDG.rhel9}), empty when absent
 */
public record PackageState(String name, boolean installed, String version) {
}
