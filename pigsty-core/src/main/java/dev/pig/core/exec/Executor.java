package dev.pig.core.exec;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.Step;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Applies a {@link Plan}: step i of every host runs in parallel (at most {@code forks} at once),
 * then step i+1; a host runs a local step ({@link dev.pig.core.task.Staged#local}) as soon as its
 * own earlier steps are done. A host that fails stops there; the others finish. Only what the
 * plan shows runs.
 *
 * <pre>{@code
 * ApplyResult r = new Executor(pool, new FactGatherer(), 20, Duration.ofMinutes(10), masker, listener)
 *         .apply(plan, targets, true);
 * r.failures().forEach(f -> err.println(f));
 * }</pre>
 */
public final class Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
    /** Ansible's default; enough parallelism for a rack without flooding one bastion. */
    public static final int DEFAULT_FORKS = 20;

    private final Connections pool;
    private final FactGatherer gatherer;
    private final int forks;
    private final Duration stepTimeout;
    private final Masker masker;
    private final ProgressListener listener;
    private final CertificateAuthority ca;

    public Executor(Connections pool, FactGatherer gatherer, int forks, Duration stepTimeout, Masker masker,
                    ProgressListener listener) {
        this(pool, gatherer, forks, stepTimeout, masker, listener, null);
    }

    /** @param ca the CA that signs the plan's certificates ({@link Step.Sign}), or null when it has none */
    public Executor(Connections pool, FactGatherer gatherer, int forks, Duration stepTimeout, Masker masker,
                    ProgressListener listener, CertificateAuthority ca) {
        this.ca = ca;
        this.pool = pool;
        this.gatherer = gatherer;
        this.forks = forks;
        this.stepTimeout = stepTimeout;
        this.masker = masker;
        this.listener = listener;
    }

    /**
     * @param targets     how to reach each host of the plan, by host name
     * @param checkFresh  re-gather facts first and refuse the whole plan when a host's fingerprint
     *                    changed; use it for a saved plan, skip it right after planning in the same run
     * @throws PigException ({@code FAILED}) naming every stale host when the plan is stale; then
     *                      nothing was applied
     */
    public ApplyResult apply(Plan plan, Map<String, SshTarget> targets, boolean checkFresh) {
        List<HostFailure> failures = new ArrayList<>();
        List<HostPlan> live = new ArrayList<>();
        for (HostPlan h : plan.hosts()) {
            if (h.error() != null) {
                fail(failures, new HostFailure(h.host(), "plan", h.error()));
            } else if (!targets.containsKey(h.host())) {
                fail(failures, new HostFailure(h.host(), "plan", "host is not in the inventory"));
            } else if (!h.actions().isEmpty()) {
                live.add(h);
            }
        }
        if (checkFresh) {
            // stages run across hosts in order (the etcd leader before its members, the primary
            // before its replicas): applying a plan to some hosts only can break that order, so
            // one stale host refuses the whole plan
            List<HostFailure> stale = Parallel.map(live, forks, h -> freshness(h, targets.get(h.host())))
                    .stream().filter(java.util.Objects::nonNull).toList();
            if (!stale.isEmpty()) {
                throw new PigException(PigException.Kind.FAILED, "the saved plan is stale on " + stale.size() + " of "
                        + live.size() + " host(s) with changes; nothing was applied:\n"
                        + String.join("\n", stale.stream().map(f -> "  " + f.host() + ": " + f.detail()).toList())
                        + "\n  Make a new plan with 'pig plan -o PLANFILE', review it, and apply that.");
            }
        }
        Map<String, Integer> changed = new LinkedHashMap<>();
        Map<String, List<String>> pending = new LinkedHashMap<>();
        live.forEach(h -> changed.put(h.host(), 0));
        new Run(live, targets, failures, changed, pending).go();
        return new ApplyResult(changed, failures, pending);
    }

    /**
     * One apply's schedule. Each host runs its stages in order, at most {@code forks} hosts at a
     * time. A stage starts on a host once every host (but those that failed) has finished every
     * earlier stage, so it runs on all its hosts together; a stage that is local on every host that
     * has it ({@link HostPlan#localStages}) waits only for the host's own earlier stages, and a stage
     * where the host has nothing to do holds it not at all (a local stage after it needs only what
     * the host did, and a shared one waits for everyone anyway). The events
     * of the listener come from the applying thread: each step's start when its first host starts
     * it, its report when its last host is done.
     */
    private final class Run {
        private final List<HostPlan> hosts;
        private final Map<String, SshTarget> targets;
        private final List<HostFailure> failures;
        private final Map<String, Integer> changed;
        private final Map<String, List<String>> pending;
        private final List<String> order;
        private final boolean[] local;
        /** per host, the indexes of its stages in order, and how many of them it has finished */
        private final Map<String, List<Integer>> seq = new LinkedHashMap<>();
        private final Map<String, Integer> next = new LinkedHashMap<>();
        private final Map<String, HostPlan> byHost = new LinkedHashMap<>();
        /** per host, the stages in which it has something to do */
        private final Map<String, Set<Integer>> busyIn = new LinkedHashMap<>();
        private final Set<String> running = new HashSet<>();
        private final Set<String> failed = new HashSet<>();
        /** per stage: the hosts it waits for, who finished it, and its counts so far */
        private final List<Set<String>> expected = new ArrayList<>();
        private final List<Set<String>> finished = new ArrayList<>();
        private final int[] did;
        private final int[] ok;
        private final int[] bad;
        private final boolean[] started;
        private final boolean[] reported;
        private final String[] label;
        private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();

        private record Done(String host, int stage, HostFailure failure, RuntimeException error) {
        }

        Run(List<HostPlan> hosts, Map<String, SshTarget> targets, List<HostFailure> failures, Map<String, Integer> changed,
            Map<String, List<String>> pending) {
            this.hosts = List.copyOf(hosts);
            this.targets = targets;
            this.failures = failures;
            this.changed = changed;
            this.pending = pending;
            TreeSet<String> all = new TreeSet<>();
            hosts.forEach(h -> all.addAll(h.stages()));
            order = new ArrayList<>(all);
            int n = order.size();
            local = new boolean[n];
            Arrays.fill(local, true);
            did = new int[n];
            ok = new int[n];
            bad = new int[n];
            started = new boolean[n];
            reported = new boolean[n];
            label = new String[n];
            for (int k = 0; k < n; k++) {
                expected.add(new LinkedHashSet<>());
                finished.add(new HashSet<>());
            }
            for (HostPlan h : hosts) {
                List<Integer> mine = new ArrayList<>();
                for (String st : new TreeSet<>(h.stages())) {
                    int k = Collections.binarySearch(order, st);
                    mine.add(k);
                    expected.get(k).add(h.host());
                    local[k] &= h.localStages().contains(st);
                }
                seq.put(h.host(), mine);
                byHost.put(h.host(), h);
                Set<Integer> busy = new HashSet<>();
                for (int i = 0; i < h.changes().size(); i++) {
                    if (h.changes().get(i) instanceof Change.Act) {
                        busy.add(Collections.binarySearch(order, h.stages().get(i)));
                    }
                }
                busyIn.put(h.host(), busy);
                next.put(h.host(), 0);
            }
        }

        void go() {
            if (hosts.isEmpty()) {
                return;
            }
            ExecutorService pool = Executors.newFixedThreadPool(
                    Math.max(1, Math.min(forks, hosts.size())), r -> {
                        Thread t = new Thread(r, "pig-fork");
                        t.setDaemon(true);
                        return t;
                    });
            try {
                while (true) {
                    startReady(pool);
                    if (running.isEmpty()) {
                        return;
                    }
                    Done d = done.take();
                    if (d.error() != null) {
                        throw d.error();
                    }
                    finish(d);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                pool.shutdownNow();
            }
        }

        /** The index of the stage a host runs next, or -1 when it has none left. */
        private int nextStage(String host) {
            List<Integer> mine = seq.get(host);
            int i = next.get(host);
            return i < mine.size() ? mine.get(i) : -1;
        }

        /**
         * The earliest stage a host that has not failed has yet to finish (running counts as not
         * finished), or the number of stages when none has any left: a shared stage starts on a
         * host when this is that stage.
         */
        private int earliest() {
            int min = order.size();
            for (HostPlan h : hosts) {
                int at = failed.contains(h.host()) ? -1 : nextStage(h.host());
                if (at >= 0) {
                    min = Math.min(min, at);
                }
            }
            return min;
        }

        private void startReady(ExecutorService pool) {
            // a stage where a host has nothing to do does not hold it: the plan runs nothing there
            for (HostPlan h : hosts) {
                int k = failed.contains(h.host()) || running.contains(h.host()) ? -1 : nextStage(h.host());
                while (k >= 0 && !busyIn.get(h.host()).contains(k)) {
                    ok[k]++;
                    next.merge(h.host(), 1, Integer::sum);
                    finished.get(k).add(h.host());
                    listener.hostDone(k + 1, h.host());
                    reportIfDone(k);
                    k = nextStage(h.host());
                }
            }
            int earliest = earliest();
            // stage by stage, so the steps' start lines come in the plan's order
            TreeMap<Integer, List<HostPlan>> ready = new TreeMap<>();
            for (HostPlan h : hosts) {
                int k = failed.contains(h.host()) || running.contains(h.host()) ? -1 : nextStage(h.host());
                if (k >= 0 && (local[k] || k <= earliest)) {
                    ready.computeIfAbsent(k, x -> new ArrayList<>()).add(h);
                }
            }
            for (Map.Entry<Integer, List<HostPlan>> e : ready.entrySet()) {
                int k = e.getKey();
                if (!started[k]) {
                    started[k] = true;
                    announce(k);
                }
                for (HostPlan h : e.getValue()) {
                    running.add(h.host());
                    List<Change> work = changesIn(h, order.get(k));
                    pool.submit(() -> {
                        try {
                            done.add(new Done(h.host(), k, runAll(h.host(), work), null));
                        } catch (RuntimeException ex) {
                            done.add(new Done(h.host(), k, null, ex));
                        }
                    });
                }
            }
        }

        private HostFailure runAll(String host, List<Change> work) {
            // a host may have several changes in one stage: they run in its own order
            for (Change c : work) {
                HostFailure f = runChange(host, targets.get(host), c);
                if (f != null) {
                    return f;
                }
            }
            return null;
        }

        /** The step's line, when one of its hosts has work in it. */
        private void announce(int k) {
            String stage = order.get(k);
            List<List<Change>> work = hosts.stream().filter(h -> expected.get(k).contains(h.host()))
                    .map(h -> changesIn(h, stage)).toList();
            label[k] = work.stream().flatMap(List::stream).filter(c -> c instanceof Change.Act)
                    .map(Change::task).findFirst().orElse(work.get(0).get(0).task());
            int busy = (int) work.stream().filter(cs -> cs.stream().anyMatch(c -> c instanceof Change.Act)).count();
            if (busy > 0) {
                listener.stepStarted(k + 1, order.size(), label[k], busy);
            }
        }

        private void finish(Done d) {
            String host = d.host();
            int k = d.stage();
            running.remove(host);
            HostPlan h = byHost.get(host);
            List<Change> work = changesIn(h, order.get(k));
            long acts = work.stream().filter(c -> c instanceof Change.Act).count();
            if (d.failure() != null) {
                bad[k]++;
                fail(failures, d.failure());
                pending.put(host, notApplied(h, order.get(k), work, d.failure()));
                failed.add(host);
                // the host's later stages wait for it no more
                for (int m : seq.get(host)) {
                    if (m > k) {
                        expected.get(m).remove(host);
                        reportIfDone(m);
                    }
                }
            } else {
                if (acts > 0) {
                    did[k]++;
                    changed.merge(host, (int) acts, Integer::sum);
                } else {
                    ok[k]++;
                }
                next.merge(host, 1, Integer::sum);
                listener.hostDone(k + 1, host);
            }
            finished.get(k).add(host);
            reportIfDone(k);
        }

        private void reportIfDone(int k) {
            if (started[k] && !reported[k] && finished.get(k).containsAll(expected.get(k)) && (did[k] > 0 || bad[k] > 0)) {
                reported[k] = true;
                listener.stepDone(new StepReport(k + 1, order.size(), label[k], did[k], ok[k], bad[k]));
            }
        }
    }

    /**
     * The changes a host that failed in {@code stage} was left without: the one that failed, those
     * after it in the stage, and those of every later stage, by task name.
     */
    private static List<String> notApplied(HostPlan h, String stage, List<Change> inStage, HostFailure f) {
        List<String> out = new ArrayList<>();
        boolean reached = inStage.stream().noneMatch(c -> c instanceof Change.Act && c.task().equals(f.step()));
        for (Change c : inStage) {
            reached |= c instanceof Change.Act && c.task().equals(f.step());
            if (reached && c instanceof Change.Act) {
                out.add(c.task());
            }
        }
        for (int i = 0; i < h.changes().size(); i++) {
            if (h.stages().get(i).compareTo(stage) > 0 && h.changes().get(i) instanceof Change.Act a) {
                out.add(a.task());
            }
        }
        return out;
    }

    private static List<Change> changesIn(HostPlan h, String stage) {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < h.changes().size(); i++) {
            if (h.stages().get(i).equals(stage)) {
                out.add(h.changes().get(i));
            }
        }
        return out;
    }

    private void fail(List<HostFailure> failures, HostFailure f) {
        failures.add(f);
        listener.hostFailed(f);
    }

    private HostFailure freshness(HostPlan h, SshTarget target) {
        try {
            HostFacts now = gatherer.gather(pool.get(target), h.request(), stepTimeout);
            if (!now.fingerprint().equals(h.factsFingerprint())) {
                return new HostFailure(h.host(), "stale plan", "the host changed since the plan was made");
            }
            return null;
        } catch (PigException e) {
            return new HostFailure(h.host(), "stale plan", "cannot check the host: "
                    + Planner.stripHost(h.host(), masker.mask(e.getMessage())));
        }
    }

    /**
     * The last lines of a unit's journal on the host, over the connection the failed step used:
     * systemd's own message only says "see journalctl".
     */
    private String journal(Transport t, String unit) {
        try {
            CommandResult r = t.run(UnitJournal.command(unit), null, Duration.ofSeconds(30));
            return r.ok() ? r.out() : "(journalctl exited " + r.exitCode() + ": " + r.tail(1) + ")";
        } catch (PigException e) {
            return "(journalctl failed: " + e.getMessage() + ")";
        }
    }

    /** The certificate of a {@link Step.Sign}: the host's request, signed here by the CA. */
    private byte[] sign(Transport t, Step.Sign s) {
        if (ca == null) {
            throw new PigException(PigException.Kind.FAILED, "cannot issue " + s.path() + ": this run has no CA");
        }
        CommandResult r = t.run(s.request(), null, stepTimeout);
        if (!r.ok() || !r.out().contains("-----BEGIN CERTIFICATE REQUEST-----")) {
            throw new PigException(PigException.Kind.FAILED, "the certificate request for " + s.path() + " exited " + r.exitCode()
                    + ": " + masker.mask(r.tail(3)));
        }
        return ca.sign(r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8), s.names(), s.days());
    }

    /** Runs one change on one host; null when it succeeded or had nothing to do. */
    private HostFailure runChange(String host, SshTarget target, Change c) {
        if (!(c instanceof Change.Act a)) {
            return null;
        }
        try {
            Transport t = pool.get(target);
            for (Step s : a.steps()) {
                LOG.debug("{}: {}", host, s.shown());
                if (s instanceof Step.Exec e) {
                    byte[] in = e.input() == null ? null : e.input().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    CommandResult r = t.run(e.command(), in, stepTimeout);
                    if (!r.ok()) {
                        // a long command (a package install with its guards) is named by what it does
                        String what = e.shown().length() <= 100 ? "`" + e.shown() + "`" : a.summary();
                        String detail = what + " exited " + r.exitCode() + ": " + masker.mask(r.tail(5));
                        return new HostFailure(host, a.task(), detail + UnitJournal.of(e.command())
                                .map(unit -> UnitJournal.section(unit, masker.mask(journal(t, unit)))).orElse(""));
                    }
                } else if (s instanceof Step.Upload u) {
                    t.upload(u.content(), u.path(), u.mode(), u.owner(), u.group(), stepTimeout);
                } else if (s instanceof Step.Dir d) {
                    t.directory(d.path(), d.mode(), d.owner(), d.group(), stepTimeout);
                } else if (s instanceof Step.Link l) {
                    t.symlink(l.path(), l.target(), stepTimeout);
                } else if (s instanceof Step.Sign sg) {
                    t.upload(sign(t, sg), sg.path(), sg.mode(), sg.owner(), sg.group(), stepTimeout);
                }
            }
            return null;
        } catch (PigException e) {
            return new HostFailure(host, a.task(), Planner.stripHost(host, masker.mask(e.getMessage())));
        }
    }
}
