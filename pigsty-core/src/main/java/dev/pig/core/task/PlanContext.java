package dev.pig.core.task;

import dev.pig.core.plan.Masker;

import dev.pig.core.fact.HostFacts;

import java.util.Collection;
import java.util.List;
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
    private final Set<String> startedUnits = new LinkedHashSet<>();
    /** The position in the host's plan of the task being planned, and the batched installs planned so far. */
    private int task = -1;
    private final Map<String, List<Install>> installs = new java.util.LinkedHashMap<>();

    public PlanContext(Masker masker) {
        this(masker, Map.of());
    }

    /**
     * @param fleet the facts of every host of the run, by host, for tasks whose desired state
     *              depends on other hosts (an etcd member joining a running cluster)
     */
    public PlanContext(Masker masker, Map<String, HostFacts> fleet) {
        this(new Run(masker, fleet));
    }

    /** The context of one host in a plan of many, sharing the run's fleet and what tasks computed once for all. */
    public PlanContext(Run run) {
        this.masker = run.masker;
        this.fleet = run.fleet;
        this.run = run;
    }

    private final Run run;

    /**
     * What every host of one plan shares: the masker, the fleet's facts (copied once, not once
     * per host) and values computed once for all hosts ({@link #shared}).
     */
    public static final class Run {
        private final Masker masker;
        private final Map<String, HostFacts> fleet;
        private final java.util.concurrent.ConcurrentHashMap<Object, java.util.concurrent.Future<Object>> memo = new java.util.concurrent.ConcurrentHashMap<>();

        public Run(Masker masker, Map<String, HostFacts> fleet) {
            this.masker = masker;
            this.fleet = Map.copyOf(fleet);
        }
    }

    /**
     * A value computed once per plan for every host that asks with an equal {@code key} (what
     * depends on the whole fleet, as the keys of an admin key exchange: computing it per host
     * would make a plan of N hosts cost N^2). The key must hold everything the value depends on
     * besides the fleet.
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(Object key, java.util.function.Supplier<T> compute) {
        // not computeIfAbsent: the computation may itself ask for shared values. A host that asks
        // while another computes waits for that value instead of computing it a second time; one
        // whose computation failed computes it again itself, so each host fails with its own error.
        java.util.concurrent.FutureTask<Object> mine = new java.util.concurrent.FutureTask<>(compute::get);
        java.util.concurrent.Future<Object> had = run.memo.putIfAbsent(key, mine);
        if (had == null) {
            mine.run();
        }
        java.util.concurrent.Future<Object> v = had == null ? mine : had;
        try {
            return (T) v.get();
        } catch (java.util.concurrent.ExecutionException e) {
            run.memo.remove(key, v);
            if (v == mine && e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (v == mine && e.getCause() instanceof Error err) {
                throw err;
            }
            return compute.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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

    /** Whether this plan changes a path under {@code dir} (a package source under /etc/apt/ ...). */
    public boolean changedUnder(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        return changedPaths.stream().anyMatch(p -> p.startsWith(prefix));
    }

    /**
     * Records that this plan enables and starts {@code unit}: a later task of the same unit (two
     * modules that both configure keepalived) finds it running by then, and reloads it for its
     * own files instead of starting it again, which would leave them unread.
     */
    public void starts(String unit) {
        startedUnits.add(unit);
    }

    /** Whether an earlier task of this plan starts {@code unit}. */
    public boolean started(String unit) {
        return startedUnits.contains(unit);
    }

    /**
     * One planned package install of a batch: the position of its task in the host's plan, the
     * packages it installs, the command it planned for them, the command installing any given
     * list of packages on this host, and the names of the earlier tasks that must run before it.
     */
    public record Install(int task, String taskName, List<String> packages, String planned,
                          java.util.function.Function<List<String>, String> command, List<String> first) {
    }

    /** The planner says which of the host's tasks it is planning: its position in the plan. */
    public void planning(int position) {
        this.task = position;
    }

    /**
     * Records that the task being planned installs {@code packages}, as one of {@code batch}: the
     * planner makes the installs of one batch a single transaction, in the first of them.
     */
    public void installs(String batch, String taskName, List<String> packages, String planned,
                         java.util.function.Function<List<String>, String> command, List<String> first) {
        installs.computeIfAbsent(batch, k -> new java.util.ArrayList<>())
                .add(new Install(task, taskName, List.copyOf(packages), planned, command, List.copyOf(first)));
    }

    /** The package installs planned on this host, by batch, in plan order. */
    public Map<String, List<Install>> installs() {
        return installs;
    }

    /** The first of {@code paths} that this plan changes, or null. */
    public String firstChanged(Collection<String> paths) {
        return paths.stream().filter(changedPaths::contains).findFirst().orElse(null);
    }
}
