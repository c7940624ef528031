package dev.pig.core.fact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which facts to gather beyond the ones every host reports (OS, hostname, CPUs, memory, disks).
 * Lists are sorted and free of duplicates, so equal requests give equal scripts and a saved plan
 * can repeat the exact query.
 *
 * <pre>{@code
 * FactRequest req = FactRequest.builder()
 *         .packages("patroni").units("patroni.service")
 *         .fileWithContent("/etc/patroni/patroni.yml").build();
 * }</pre>
 *
 * @param files        paths whose type, mode, owner and sha256 are wanted
 * @param fileContents subset of {@code files} whose content (up to 64 KiB) is wanted, for diffs
 * @param checks       one-line shell commands whose exit code is wanted (guards of commands)
 * @param sections     names of module {@link FactSection}s to run
 */
public record FactRequest(List<String> packages, List<String> units, List<String> files, List<String> fileContents,
                          List<String> users, List<String> groups, List<String> sysctls, List<String> checks,
                          List<String> sections) {

    public FactRequest {
        packages = sorted(packages);
        units = sorted(units);
        files = sorted(files);
        fileContents = sorted(fileContents);
        users = sorted(users);
        groups = sorted(groups);
        sysctls = sorted(sysctls);
        checks = sorted(checks);
        sections = sorted(sections);
    }

    public static FactRequest empty() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What this request asks for that {@code had} did not, each as "kind name" ({@code file
     * /etc/patroni/patroni.yml}, {@code package patroni}): empty when facts gathered for
     * {@code had} answer this request too.
     */
    public List<String> notIn(FactRequest had) {
        List<String> out = new ArrayList<>();
        missing(out, "package", packages, had.packages);
        missing(out, "unit", units, had.units);
        missing(out, "file", files, had.files);
        missing(out, "file content", fileContents, had.fileContents);
        missing(out, "user", users, had.users);
        missing(out, "group", groups, had.groups);
        missing(out, "sysctl", sysctls, had.sysctls);
        missing(out, "check", checks, had.checks);
        missing(out, "section", sections, had.sections);
        return out;
    }

    private static void missing(List<String> out, String kind, List<String> want, List<String> had) {
        java.util.Set<String> h = new java.util.HashSet<>(had);
        want.stream().filter(w -> !h.contains(w)).forEach(w -> out.add(kind + " " + w));
    }

    /** A builder starting from this request, to add more. */
    public Builder toBuilder() {
        return new Builder().merge(this);
    }

    private static List<String> sorted(Collection<String> c) {
        return c == null ? List.of() : List.copyOf(new TreeSet<>(c));
    }

    /** Collects what several tasks need. */
    public static final class Builder {
        private final TreeSet<String> packages = new TreeSet<>();
        private final TreeSet<String> units = new TreeSet<>();
        private final TreeSet<String> files = new TreeSet<>();
        private final TreeSet<String> contents = new TreeSet<>();
        private final TreeSet<String> users = new TreeSet<>();
        private final TreeSet<String> groups = new TreeSet<>();
        private final TreeSet<String> sysctls = new TreeSet<>();
        private final TreeSet<String> checks = new TreeSet<>();
        private final TreeSet<String> sections = new TreeSet<>();

        public Builder packages(String... names) {
            packages.addAll(List.of(names));
            return this;
        }

        public Builder units(String... names) {
            units.addAll(List.of(names));
            return this;
        }

        public Builder files(String... paths) {
            for (String p : paths) {
                files.add(checkPath(p));
            }
            return this;
        }

        /** A file whose current content is wanted too, so a change can be shown as a diff. */
        public Builder fileWithContent(String path) {
            files.add(checkPath(path));
            contents.add(path);
            return this;
        }

        public Builder users(String... names) {
            users.addAll(List.of(names));
            return this;
        }

        public Builder groups(String... names) {
            groups.addAll(List.of(names));
            return this;
        }

        public Builder sysctls(String... keys) {
            sysctls.addAll(List.of(keys));
            return this;
        }

        /** A guard command run with the facts; its exit code is in {@link HostFacts#check}. */
        public Builder checks(String... commands) {
            for (String c : commands) {
                if (c.contains("\n")) {
                    throw new IllegalArgumentException("a check command must be one line: " + c);
                }
                checks.add(c);
            }
            return this;
        }

        public Builder sections(String... names) {
            sections.addAll(List.of(names));
            return this;
        }

        public Builder merge(FactRequest r) {
            packages.addAll(r.packages());
            units.addAll(r.units());
            files.addAll(r.files());
            contents.addAll(r.fileContents());
            users.addAll(r.users());
            groups.addAll(r.groups());
            sysctls.addAll(r.sysctls());
            checks.addAll(r.checks());
            sections.addAll(r.sections());
            return this;
        }

        public FactRequest build() {
            return new FactRequest(new ArrayList<>(packages), new ArrayList<>(units), new ArrayList<>(files),
                    new ArrayList<>(contents), new ArrayList<>(users), new ArrayList<>(groups),
                    new ArrayList<>(sysctls), new ArrayList<>(checks), new ArrayList<>(sections));
        }

        private static String checkPath(String p) {
            // paths travel one per line through the script, tab-separated on the way back
            if (!p.startsWith("/") || p.contains("\n") || p.contains("\t")) {
                throw new IllegalArgumentException("file facts need an absolute path without tabs or newlines: " + p);
            }
            return p;
        }
    }
}
