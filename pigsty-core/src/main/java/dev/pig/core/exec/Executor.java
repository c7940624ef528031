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
     * where the host has nothing to do does not hold it at all (a local stage after it needs only
     * what the host did, and a shared one waits for everyone anyway). The events of the listener
     * come from the applying thread: each step's start when its first host starts it, its report
     * when its last host is done.
     */
    private final class Run {
        /** One stage of the run: its hosts, and how it went so far. */
        private static final class StepState {
            final String stage;
            boolean local = true;
            final Set<String> expected = new LinkedHashSet<>();
            final Set<String> finished = new HashSet<>();
            int did;
            int ok;
            int bad;
            boolean started;
            boolean reported;
            String label;

            StepState(String stage) {
                this.stage = stage;
            }
        }

        /** One host of the run: its stages by index, in order, and how far it is. */
        private static final class HostRun {
            final HostPlan plan;
            final List<Integer> stages = new ArrayList<>();
            /** the stages in which it has something to do */
            final Set<Integer> busy = new HashSet<>();
            int next;
            boolean running;
            boolean failed;

            HostRun(HostPlan plan) {
                this.plan = plan;
            }

            String host() {
                return plan.host();
            }

            /** The index of the stage it runs next, or -1 when it is done or failed. */
            int nextStage() {
                return failed || next >= stages.size() ? -1 : stages.get(next);
            }
        }

        private record Done(HostRun host, int stage, List<Change> work, HostFailure failure, RuntimeException error) {
        }

        private final Map<String, SshTarget> targets;
        private final List<HostFailure> failures;
        private final Map<String, Integer> changed;
        private final Map<String, List<String>> pending;
        private final List<StepState> steps = new ArrayList<>();
        private final List<HostRun> hosts = new ArrayList<>();
        private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
        private int running;

        Run(List<HostPlan> plans, Map<String, SshTarget> targets, List<HostFailure> failures, Map<String, Integer> changed,
            Map<String, List<String>> pending) {
            this.targets = targets;
            this.failures = failures;
            this.changed = changed;
            this.pending = pending;
            TreeSet<String> all = new TreeSet<>();
            plans.forEach(h -> all.addAll(h.stages()));
            all.forEach(st -> steps.add(new StepState(st)));
            List<String> order = new ArrayList<>(all);
            for (HostPlan p : plans) {
                HostRun h = new HostRun(p);
                for (String st : new TreeSet<>(p.stages())) {
                    int k = Collections.binarySearch(order, st);
                    h.stages.add(k);
                    steps.get(k).expected.add(p.host());
                    steps.get(k).local &= p.localStages().contains(st);
                }
                for (int i = 0; i < p.changes().size(); i++) {
                    if (p.changes().get(i) instanceof Change.Act) {
                        h.busy.add(Collections.binarySearch(order, p.stages().get(i)));
                    }
                }
                hosts.add(h);
            }
        }

        void go() {
            if (hosts.isEmpty()) {
                return;
            }
            ExecutorService pool = Parallel.pool(Math.min(forks, hosts.size()));
            try {
                while (true) {
                    startReady(pool);
                    if (running == 0) {
                        return;
                    }
                    Done d = done.take();
                    running--;
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

        /**
         * The earliest stage a host that has not failed has yet to finish (running counts as not
         * finished), or the number of stages when none has any left: a shared stage starts on a
         * host when this is that stage.
         */
        private int earliest() {
            int min = steps.size();
            for (HostRun h : hosts) {
                int at = h.nextStage();
                if (at >= 0) {
                    min = Math.min(min, at);
                }
            }
            return min;
        }

        private void startReady(ExecutorService pool) {
            // a stage where a host has nothing to do does not hold it: the plan runs nothing there
            for (HostRun h : hosts) {
                int k = h.running ? -1 : h.nextStage();
                while (k >= 0 && !h.busy.contains(k)) {
                    succeeded(h, k, 0);
                    k = h.nextStage();
                }
            }
            int earliest = earliest();
            // stage by stage, so the steps' start lines come in the plan's order
            TreeMap<Integer, List<HostRun>> ready = new TreeMap<>();
            for (HostRun h : hosts) {
                int k = h.running ? -1 : h.nextStage();
                if (k >= 0 && (steps.get(k).local || k <= earliest)) {
                    ready.computeIfAbsent(k, x -> new ArrayList<>()).add(h);
                }
            }
            for (Map.Entry<Integer, List<HostRun>> e : ready.entrySet()) {
                int k = e.getKey();
                StepState step = steps.get(k);
                if (!step.started) {
                    step.started = true;
                    announce(k);
                }
                for (HostRun h : e.getValue()) {
                    h.running = true;
                    running++;
                    List<Change> work = changesIn(h.plan, step.stage);
                    pool.submit(() -> {
                        try {
                            done.add(new Done(h, k, work, runAll(h.host(), work), null));
                        } catch (RuntimeException ex) {
                            done.add(new Done(h, k, work, null, ex));
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
            StepState step = steps.get(k);
            List<List<Change>> work = hosts.stream().filter(h -> step.expected.contains(h.host()))
                    .map(h -> changesIn(h.plan, step.stage)).toList();
            step.label = work.stream().flatMap(List::stream).filter(c -> c instanceof Change.Act)
                    .map(Change::task).findFirst().orElse(work.get(0).get(0).task());
            int busy = (int) work.stream().filter(cs -> cs.stream().anyMatch(c -> c instanceof Change.Act)).count();
            if (busy > 0) {
                listener.stepStarted(k + 1, steps.size(), step.label, busy);
            }
        }

        private void finish(Done d) {
            HostRun h = d.host();
            int k = d.stage();
            h.running = false;
            if (d.failure() == null) {
                succeeded(h, k, (int) d.work().stream().filter(c -> c instanceof Change.Act).count());
                return;
            }
            StepState step = steps.get(k);
            step.bad++;
            fail(failures, d.failure());
            pending.put(h.host(), notApplied(h.plan, step.stage, d.work(), d.failure()));
            h.failed = true;
            // the host's later stages wait for it no more
            for (int m : h.stages) {
                if (m > k) {
                    steps.get(m).expected.remove(h.host());
                    reportIfDone(m);
                }
            }
            step.finished.add(h.host());
            reportIfDone(k);
        }

        /** A host finished stage {@code k}, where it made {@code acts} changes. */
        private void succeeded(HostRun h, int k, int acts) {
            StepState step = steps.get(k);
            if (acts > 0) {
                step.did++;
                changed.merge(h.host(), acts, Integer::sum);
            } else {
                step.ok++;
            }
            h.next++;
            step.finished.add(h.host());
            listener.hostDone(k + 1, h.host());
            reportIfDone(k);
        }

        private void reportIfDone(int k) {
            StepState s = steps.get(k);
            if (s.started && !s.reported && s.finished.containsAll(s.expected) && (s.did > 0 || s.bad > 0)) {
                s.reported = true;
                listener.stepDone(new StepReport(k + 1, steps.size(), s.label, s.did, s.ok, s.bad));
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
