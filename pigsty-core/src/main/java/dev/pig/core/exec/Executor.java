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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Plan}: step i of every host runs in parallel (at most {@code forks} at once),
 * then step i+1. A host that fails stops there; the others finish. Only what the plan shows runs.
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
        java.util.TreeSet<String> stages = new java.util.TreeSet<>();
        live.forEach(h -> stages.addAll(h.stages()));
        int total = stages.size();
        int index = 0;
        for (String stage : stages) {
            index++;
            List<HostPlan> now = live.stream().filter(h -> h.stages().contains(stage)).toList();
            if (now.isEmpty()) {
                continue;
            }
            // a host may have several changes in one stage: they run in its own order
            List<List<Change>> work = now.stream().map(h -> changesIn(h, stage)).toList();
            String label = work.stream().flatMap(List::stream).filter(c -> c instanceof Change.Act)
                    .map(Change::task).findFirst().orElse(work.get(0).get(0).task());
            int busy = (int) work.stream().filter(cs -> cs.stream().anyMatch(c -> c instanceof Change.Act)).count();
            if (busy > 0) {
                listener.stepStarted(index, total, label, busy);
            }
            List<Integer> positions = java.util.stream.IntStream.range(0, now.size()).boxed().toList();
            List<HostFailure> results = Parallel.map(positions, forks, k -> {
                for (Change c : work.get(k)) {
                    HostFailure f = runChange(now.get(k).host(), targets.get(now.get(k).host()), c);
                    if (f != null) {
                        return f;
                    }
                }
                return null;
            });
            int ok = 0;
            int did = 0;
            int bad = 0;
            for (int k = 0; k < now.size(); k++) {
                HostPlan h = now.get(k);
                HostFailure f = results.get(k);
                long acts = work.get(k).stream().filter(c -> c instanceof Change.Act).count();
                if (f != null) {
                    bad++;
                    fail(failures, f);
                    pending.put(h.host(), notApplied(h, stage, work.get(k), f));
                    live.remove(h);
                } else if (acts > 0) {
                    did++;
                    changed.merge(h.host(), (int) acts, Integer::sum);
                } else {
                    ok++;
                }
            }
            if (did > 0 || bad > 0) {
                listener.stepDone(new StepReport(index, total, label, did, ok, bad));
            }
        }
        return new ApplyResult(changed, failures, pending);
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
