package dev.pig.core.fact;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything known about one host at one moment, immutable. The accessors for requested facts
 * refuse a name that was not in the {@link FactRequest}: a task that forgot to ask for a fact must
 * fail loudly instead of planning against "missing".
 *
 * @param fingerprint sha256 over the non-volatile sections of the raw output; a saved plan is
 *                    applied only while the host still has the same fingerprint
 * @param timings     what each section cost, when asked for; empty otherwise
 */
public record HostFacts(String host, FactRequest request, OsInfo os, String hostname, int cpus, MemoryInfo memory,
                        List<Disk> disks, double uptimeSeconds, Map<String, PackageState> packages,
                        Map<String, UnitState> units, Map<String, FileState> files, Map<String, UserEntry> users,
                        Map<String, GroupEntry> groups, Map<String, String> sysctls, Map<String, Integer> checks,
                        Map<String, Object> extras,
                        String fingerprint, List<SectionTiming> timings) {

    /**
     * What one section of the facts script cost on the host ({@code pig facts --timing}).
     *
     * @param wallMillis the wall clock from the section's start to the next one's, or a background
     *                   job's own
     * @param cpuMillis  the CPU of the script and of the commands it ran in that time, or the job's
     * @param background a background job (a guard check or a module's section), which overlaps the
     *                   others: the script's wall clock is the sum of the other sections'
     */
    public record SectionTiming(String section, double wallMillis, double cpuMillis, boolean background) {
    }

    public HostFacts {
        disks = List.copyOf(disks);
        packages = Map.copyOf(packages);
        units = Map.copyOf(units);
        files = Map.copyOf(files);
        users = Map.copyOf(users);
        groups = Map.copyOf(groups);
        sysctls = Map.copyOf(sysctls);
        checks = Map.copyOf(checks);
        extras = Map.copyOf(extras);
        timings = timings == null ? List.of() : List.copyOf(timings);
    }

    public PackageState pkg(String name) {
        need(request.packages(), name, "package");
        return packages.getOrDefault(name, new PackageState(name, false, ""));
    }

    public UnitState unit(String name) {
        need(request.units(), name, "unit");
        return units.getOrDefault(name, UnitState.notFound(name));
    }

    public FileState file(String path) {
        need(request.files(), path, "file");
        return files.getOrDefault(path, FileState.missing(path));
    }

    public Optional<UserEntry> user(String name) {
        need(request.users(), name, "user");
        return Optional.ofNullable(users.get(name));
    }

    public Optional<GroupEntry> group(String name) {
        need(request.groups(), name, "group");
        return Optional.ofNullable(groups.get(name));
    }

    /** The current value, normalised to single spaces; empty when the kernel has no such key. */
    public Optional<String> sysctl(String key) {
        need(request.sysctls(), key, "sysctl");
        return Optional.ofNullable(sysctls.get(key));
    }

    /** Whether a guard command exited 0 on the host. */
    public boolean check(String command) {
        need(request.checks(), command, "check");
        Integer code = checks.get(command);
        return code != null && code == 0;
    }

    /** A module section's parsed value. */
    public <T> T extra(FactSection<T> section) {
        need(request.sections(), section.name(), "fact section");
        @SuppressWarnings("unchecked")
        T v = (T) extras.get(section.name());
        return v;
    }

    private void need(List<String> requested, String name, String what) {
        if (!requested.contains(name)) {
            throw new IllegalStateException(what + " " + name + " was not in the fact request for " + host);
        }
    }
}
