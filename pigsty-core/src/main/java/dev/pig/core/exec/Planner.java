package dev.pig.core.exec;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactsFile;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes a {@link Plan}: per host, one facts round trip for everything its tasks need, then each
 * task plans in order. An unreachable host, or a task that cannot plan, marks only that host.
 *
 * <pre>{@code
 * Map<SshTarget, List<Task>> work = Map.of(SshTarget.of("10.10.10.11"), List.of(
 *         new PackageTask("patroni", null, "pg_install"),
 *         FileTask.of("/etc/patroni/patroni.yml", rendered, "0600", "pg_conf"),
 *         new UnitTask("patroni.service", true, true, List.of("/etc/patroni/patroni.yml"), List.of(), "pg_launch")));
 * Plan plan = new Planner(pool, new FactGatherer(), Duration.ofMinutes(2), 20).plan(work, masker);
 * }</pre>
 */
public final class Planner {
    private final Connections pool;
    private final FactGatherer gatherer;
    private final Duration timeout;
    private final int forks;
    private final boolean timing;

    public Planner(Connections pool, FactGatherer gatherer, Duration timeout, int forks) {
        this(pool, gatherer, timeout, forks, LOG.isDebugEnabled());
    }

    /**
     * @param timing time each section of the facts script on each host ({@code pig facts --timing};
     *               with {@code --debug}, plans log it)
     */
    public Planner(Connections pool, FactGatherer gatherer, Duration timeout, int forks, boolean timing) {
        this.pool = pool;
        this.gatherer = gatherer;
        this.timeout = timeout;
        this.forks = forks;
        this.timing = timing;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Planner.class);

    /**
     * Gathers the facts of every host (one round trip each, in parallel), then plans each host
     * with the whole fleet's facts at hand. Hosts keep the order of {@code work}.
     */
    public Plan plan(Map<SshTarget, List<Task>> work, Masker masker) {
        return plan(work, Gathered.none(), masker);
    }

    /**
     * Plans with facts gathered before the work was known (an operation that first asks which
     * member answers, as {@code pig etcd rm} does) wherever they hold what a host's tasks need,
     * so such a host still gets one round trip; the other hosts are asked now. A host that
     * could not answer then is failed with the reason it gave. The facts of every host known,
     * in the work or not, are at hand to each task.
     */
    public Plan plan(Map<SshTarget, List<Task>> work, Gathered known, Masker masker) {
        Map<SshTarget, FactRequest> ask = new LinkedHashMap<>();
        work.forEach((t, tasks) -> {
            HostFacts had = known.facts().get(t.host());
            FactRequest needed = request(tasks);
            if (!known.failures().containsKey(t.host()) && (had == null || !covers(had.request(), needed))) {
                ask.put(t, needed);
            }
        });
        Gathered now = gather(ask, masker);
        Map<String, HostFacts> fleet = new LinkedHashMap<>(known.facts());
        fleet.putAll(now.facts());
        PlanContext.Run run = new PlanContext.Run(masker, fleet);
        return Plan.of(Parallel.map(new ArrayList<>(work.entrySet()), CORES, e -> {
            String host = e.getKey().host();
            String failure = ask.containsKey(e.getKey()) ? now.failures().get(host) : known.failures().get(host);
            return failure != null ? HostPlan.failed(host, stripHost(host, failure)) : planHost(run, fleet.get(host), e.getValue(), masker);
        }));
    }

    /** Hosts planned at once once their facts are in: planning only computes. */
    private static final int CORES = Parallel.CORES;

    /** One host's plan, or the host failed with why its tasks could not plan. */
    private static HostPlan planHost(PlanContext.Run run, HostFacts facts, List<Task> tasks, Masker masker) {
        try {
            return planFromFacts(facts, tasks, new PlanContext(run));
        } catch (PigException ex) {
            return HostPlan.failed(facts.host(), stripHost(facts.host(), masker.mask(ex.getMessage())));
        }
    }

    /**
     * Gathers what each host is asked for, one round trip per host, all in parallel; a host
     * that cannot answer is reported with why, never thrown.
     */
    public Gathered gather(Map<SshTarget, FactRequest> requests, Masker masker) {
        return gather(requests, masker, null);
    }

    /**
     * {@link #gather}, also keeping what each host printed, for {@code pig facts -o}: the
     * recording starts when the first host is asked.
     */
    public FactsFile record(Map<SshTarget, FactRequest> requests, Masker masker) {
        java.time.Instant start = java.time.Instant.now();
        Map<String, FactsFile.Entry> raw = new java.util.concurrent.ConcurrentHashMap<>();
        Gathered g = gather(requests, masker, raw);
        Map<String, FactsFile.Entry> ordered = new LinkedHashMap<>();
        g.facts().keySet().forEach(h -> ordered.put(h, raw.get(h)));
        return new FactsFile(start, ordered, g.failures());
    }

    private Gathered gather(Map<SshTarget, FactRequest> requests, Masker masker, Map<String, FactsFile.Entry> raw) {
        List<SshTarget> targets = new ArrayList<>(requests.keySet());
        List<Object> got = Parallel.map(targets, forks, t -> {
            try {
                long t0 = System.nanoTime();
                Transport conn = pool.get(t);
                long t1 = System.nanoTime();
                String out = gatherer.run(conn, requests.get(t), timeout, timing);
                LOG.debug("{}: connected in {} ms, facts answered in {} ms ({} KB)", t.host(), (t1 - t0) / 1_000_000,
                        (System.nanoTime() - t1) / 1_000_000, out.length() / 1024);
                if (raw != null) {
                    raw.put(t.host(), new FactsFile.Entry(requests.get(t), out));
                }
                HostFacts f = gatherer.parse(t.host(), requests.get(t), out);
                if (timing && LOG.isDebugEnabled()) {
                    // a check is named by its command, which may hold a secret
                    LOG.debug("{}: facts {}", t.host(), masker.mask(f.timings().stream().map(x -> String.format("%s%s %.0f ms (%.0f ms CPU)",
                            x.background() ? "* " : "", x.section(), x.wallMillis(), x.cpuMillis())).collect(java.util.stream.Collectors.joining(", "))));
                }
                return f;
            } catch (PigException e) {
                return masker.mask(e.getMessage());
            }
        });
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            if (got.get(i) instanceof HostFacts f) {
                facts.put(targets.get(i).host(), f);
            } else {
                failures.put(targets.get(i).host(), (String) got.get(i));
            }
        }
        return new Gathered(facts, failures);
    }

    /**
     * Plans from recorded facts alone ({@code pig plan --facts FILE}), reaching no host: a host
     * that could not answer when they were recorded, is not in them, or whose tasks now need a
     * fact they do not hold is failed with why and what to do; the others plan as they would
     * have over SSH then.
     */
    public static Plan planRecorded(Map<SshTarget, List<Task>> work, Gathered recorded, Masker masker) {
        String again = "; record the facts again with 'pig facts -o FILE'";
        PlanContext.Run run = new PlanContext.Run(masker, recorded.facts());
        return Plan.of(Parallel.map(new ArrayList<>(work.entrySet()), CORES, e -> {
            String host = e.getKey().host();
            HostFacts f = recorded.facts().get(host);
            if (recorded.failures().containsKey(host)) {
                return HostPlan.failed(host, "could not answer when the facts were recorded: "
                        + stripHost(host, recorded.failures().get(host)) + again);
            }
            if (f == null) {
                return HostPlan.failed(host, "is not in the recorded facts" + again);
            }
            List<String> lacking = request(e.getValue()).notIn(f.request());
            if (!lacking.isEmpty()) {
                return HostPlan.failed(host, "the recorded facts lack " + lacking.size() + " fact(s) its tasks need now: "
                        + String.join(", ", lacking.subList(0, Math.min(5, lacking.size())))
                        + (lacking.size() > 5 ? " ..." : "") + again);
            }
            return planHost(run, f, e.getValue(), masker);
        }));
    }

    /** Whether facts gathered for {@code had} hold everything {@code needed} asks for. */
    static boolean covers(FactRequest had, FactRequest needed) {
        return had.toBuilder().merge(needed).build().equals(had);
    }

    /** The fact request covering every task of a host. */
    public static FactRequest request(List<Task> tasks) {
        FactRequest.Builder b = FactRequest.builder();
        tasks.forEach(t -> t.require(b));
        return b.build();
    }

    /** Plans tasks against facts already gathered; pure, for tests. */
    public static HostPlan planFromFacts(HostFacts facts, List<Task> tasks, Masker masker) {
        return planFromFacts(facts, tasks, masker, Map.of(facts.host(), facts));
    }

    /** Plans one host's tasks, with the facts of the other hosts of the run at hand. */
    public static HostPlan planFromFacts(HostFacts facts, List<Task> tasks, Masker masker, Map<String, HostFacts> fleet) {
        return planFromFacts(facts, tasks, new PlanContext(masker, fleet));
    }

    private static HostPlan planFromFacts(HostFacts facts, List<Task> tasks, PlanContext ctx) {
        List<Change> changes = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        // a stage is local when every task of the host in it is
        Set<String> local = new TreeSet<>();
        Set<String> shared = new TreeSet<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            ctx.planning(i);
            changes.add(t.plan(facts, ctx));
            String stage = t instanceof Staged s ? s.stage() : String.format("%05d", i);
            stages.add(stage);
            (t instanceof Staged s && s.local() ? local : shared).add(stage);
        }
        local.removeAll(shared);
        batchInstalls(changes, ctx);
        return new HostPlan(facts.host(), facts.fingerprint(), facts.request(), changes, stages, List.copyOf(local), null);
    }

    /**
     * The package installs of one batch (a module's several package tasks, as NODE's packages,
     * node_exporter and haproxy) made one transaction, in the first of them: each apt run costs
     * its start, dependency resolution and dpkg's triggers again, and on a fresh host that is
     * seconds per run. The later tasks of the batch plan nothing and say where their packages
     * went; a run that selects only some of the tasks (by tag) batches only those. The tasks a
     * later install needs done first (REDIS's masks) move before the batch's install.
     */
    private static void batchInstalls(List<Change> changes, PlanContext ctx) {
        for (List<PlanContext.Install> planned : ctx.installs().values()) {
            // an install a wrapper planned otherwise (a guard that skipped it) stays as it is
            List<PlanContext.Install> batch = planned.stream().filter(in -> installStep(changes.get(in.task()), in.planned()) >= 0).toList();
            if (batch.size() < 2) {
                continue;
            }
            PlanContext.Install first = batch.get(0);
            List<String> all = new ArrayList<>();
            for (PlanContext.Install in : batch) {
                in.packages().stream().filter(p -> !all.contains(p)).forEach(all::add);
            }
            Change.Act act = (Change.Act) changes.get(first.task());
            List<Step> steps = new ArrayList<>(act.steps());
            int install = installStep(act, first.planned());
            steps.set(install, Step.Exec.of(first.command().apply(all), ctx.masker()));
            List<String> moved = new ArrayList<>();
            steps.addAll(install, hoist(changes, batch, first, moved));
            // the plan shows what moved here: those tasks plan nothing where they were
            String summary = "install " + String.join(" ", all) + (moved.isEmpty() ? "" : "; first: " + String.join(", ", moved));
            changes.set(first.task(), new Change.Act(act.task(), act.tag(), act.action(), summary, steps, act.diff()));
            for (PlanContext.Install in : batch.subList(1, batch.size())) {
                Change c = changes.get(in.task());
                changes.set(in.task(), new Change.NoOp(c.task(), c.tag(), "installed by '" + first.taskName() + "' in this run: "
                        + String.join(" ", in.packages())));
            }
        }
    }

    /**
     * The steps of the tasks that the later installs of a batch need done first (PackagesTask's
     * {@code first}), taken from where they were planned, between the batch's install and theirs,
     * and left there as done: they run just before the batch's install instead; their names
     * go to {@code moved}.
     */
    private static List<Step> hoist(List<Change> changes, List<PlanContext.Install> batch, PlanContext.Install first, List<String> moved) {
        List<Step> out = new ArrayList<>();
        for (PlanContext.Install in : batch.subList(1, batch.size())) {
            for (String name : in.first()) {
                for (int i = in.task() - 1; i > first.task(); i--) {
                    if (changes.get(i).task().equals(name)) {
                        if (changes.get(i) instanceof Change.Act a) {
                            out.addAll(a.steps());
                            moved.add(a.task());
                            changes.set(i, new Change.NoOp(a.task(), a.tag(), "done in '" + first.taskName()
                                    + "' in this run, before its install: " + a.summary()));
                        }
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Where in {@code c} the planned install {@code command} is, or -1 when {@code c} does not hold it. */
    private static int installStep(Change c, String command) {
        if (c instanceof Change.Act a) {
            for (int i = 0; i < a.steps().size(); i++) {
                if (a.steps().get(i) instanceof Step.Exec e && e.command().equals(command)) {
                    return i;
                }
            }
        }
        return -1;
    }

    static String stripHost(String host, String message) {
        return message.startsWith(host + ": ") ? message.substring(host.length() + 2) : message;
    }
}
