package dev.pig.modules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.task.Task;

/**
 * What a run covers: {@code -l} limits the hosts (a host, a group, a cluster, comma-separated),
 * {@code -t} the tasks (Pigsty tags, or a module name for all of its tasks), and a command may
 * restrict the modules ({@code pig etcd ...} only runs ETCD) and, for a tag, the one entry of a
 * list parameter its tasks are for ({@code pig pgsql user pg-test test}: of the {@code pg_user}
 * tasks, those of user {@code test} only). Commands build one as data; none changes another's
 * options to say what it wants.
 *
 * @param entries by tag, the only {@link Entry}s whose tasks of that tag are kept
 */
public record Selection(List<String> limit, Set<String> tags, Set<String> modules, Map<String, Set<String>> entries) {

    public Selection {
        limit = List.copyOf(limit);
        tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
        modules = Set.copyOf(modules);
        entries = Map.copyOf(entries);
    }

    public Selection(List<String> limit, Set<String> tags, Set<String> modules) {
        this(limit, tags, modules, Map.of());
    }

    public static Selection all() {
        return new Selection(List.of(), Set.of(), Set.of());
    }

    public static Selection of(String limit, String tags, Set<String> modules) {
        return new Selection(split(limit), new LinkedHashSet<>(split(tags)), Set.copyOf(modules));
    }

    private static List<String> split(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /**
     * Refuses {@code -t} terms that are neither a tag of one of {@code modules} nor a module name,
     * with the closest known name: a misspelt tag would otherwise select nothing and report
     * "No changes".
     */
    public Selection checkTags(List<PigModule> modules) {
        List<String> known = new ArrayList<>();
        modules.forEach(m -> {
            known.add(m.name());
            known.addAll(m.tags());
        });
        for (String t : tags) {
            if (known.contains(t)) {
                continue;
            }
            java.util.Optional<dev.pig.core.param.Module> other = java.util.Arrays.stream(dev.pig.core.param.Module.values())
                    .filter(m -> !m.deployed() && m.name().equalsIgnoreCase(t)).findFirst();
            if (other.isPresent()) {
                throw new PigException(PigException.Kind.USAGE, "-t " + t + ": pig does not deploy the " + other.get()
                        + " module; its parameters are accepted so the inventory reads as it does for Pigsty\n  pig deploys "
                        + String.join(", ", modules.stream().map(PigModule::name).toList()) + ".");
            }
            StringBuilder msg = new StringBuilder("-t " + t + " is neither a tag nor a module pig knows");
            closest(t, known).ifPresent(c -> msg.append("\n  Did you mean '").append(c).append("'?"));
            msg.append("\n  Modules and their tags:");
            modules.forEach(m -> msg.append("\n    ").append(m.name()).append(": ").append(String.join(", ", m.tags())));
            throw new PigException(PigException.Kind.USAGE, msg.toString());
        }
        return this;
    }

    private static java.util.Optional<String> closest(String unknown, List<String> known) {
        int limit = Math.max(1, Math.min(3, unknown.length() / 4));
        return known.stream()
                .filter(k -> dev.pig.core.param.ParamCatalog.distance(unknown, k) <= limit)
                .min(java.util.Comparator.comparingInt((String k) -> dev.pig.core.param.ParamCatalog.distance(unknown, k))
                        .thenComparing(k -> k));
    }

    public Selection withModules(Set<String> m) {
        return new Selection(limit, tags, m, entries);
    }

    /** These hosts, groups or clusters instead of {@code -l}'s. */
    public Selection withLimit(List<String> hosts) {
        return new Selection(hosts, tags, modules, entries);
    }

    /** {@link #withLimit(List)} from a comma-separated selector, as {@code -l} takes it. */
    public Selection withLimit(String selector) {
        return withLimit(split(selector));
    }

    /** These tags instead of {@code -t}'s. */
    public Selection withTags(Set<String> t) {
        return new Selection(limit, t, modules, entries);
    }

    /** Of the tasks tagged {@code tag}, only those of {@code entry} (tasks of no entry stay). */
    public Selection only(String tag, String entry) {
        return only(tag, Set.of(entry));
    }

    /**
     * Of the tasks tagged {@code tag}, only those of these entries (tasks of no entry stay): the
     * instances {@code pig redis add CLUSTER IP:PORT} names.
     */
    public Selection only(String tag, Set<String> chosen) {
        Map<String, Set<String>> e = new LinkedHashMap<>(entries);
        e.put(tag, Set.copyOf(chosen));
        return new Selection(limit, tags, modules, e);
    }

    public boolean module(String name) {
        return modules.isEmpty() || modules.contains(name);
    }

    public boolean tag(String module, String tag) {
        return tags.isEmpty() || tags.contains(tag) || tags.contains(module);
    }

    /** Whether a task of {@code module} is in: by its tag, and by its entry where one is chosen for that tag. */
    public boolean task(String module, Task t) {
        if (!tag(module, t.tag())) {
            return false;
        }
        Set<String> chosen = entries.get(t.tag());
        return chosen == null || Entry.of(t).map(chosen::contains).orElse(true);
    }

    /** The hosts {@code -l} selects; every term must match something. */
    public Set<String> hosts(ClusterModel model) {
        Set<String> out = new LinkedHashSet<>();
        if (limit.isEmpty()) {
            model.nodes().forEach(n -> out.add(n.id()));
            return out;
        }
        for (String term : limit) {
            List<String> hit = new ArrayList<>();
            for (Node n : model.nodes()) {
                if (n.id().equals(term) || n.address().equals(term) || n.nodename().equals(term) || n.groups().contains(term)
                        || model.pgClusters().stream().anyMatch(c -> c.name().equals(term) && c.instance(n.id()).isPresent())) {
                    hit.add(n.id());
                }
            }
            if (hit.isEmpty()) {
                throw new PigException(PigException.Kind.USAGE, "-l " + term + " matches no host, group or cluster of the inventory");
            }
            out.addAll(hit);
        }
        return out;
    }
}
