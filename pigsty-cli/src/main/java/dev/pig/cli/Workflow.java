package dev.pig.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.pig.cli.views.ApplyView;
import dev.pig.cli.views.PlanView;
import dev.pig.core.diag.PigException;
import dev.pig.core.exec.ApplyResult;
import dev.pig.core.fact.FactsFile;
import dev.pig.core.exec.ApplyTracker;
import dev.pig.core.fact.Gathered;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.PlanJson;
import dev.pig.modules.Modules;
import dev.pig.modules.Operation;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one way pig changes hosts: plan what a {@link Request} asks for, show the plan, stop when
 * a host could not be planned (unless the {@link Policy} says keep going), ask, apply exactly
 * what was shown, report. Every command that changes hosts builds a request and runs it here,
 * so they all confirm, cancel, fail and exit alike. {@code pig plan} runs the first half.
 */
final class Workflow {
    private final RunOptions run;
    private final PlanView planView;
    private final ApplyView applyView;

    Workflow(CommandSpec spec, RunOptions run) {
        this.run = run;
        this.planView = new PlanView(spec.commandLine().getOut(), spec.commandLine().getErr());
        this.applyView = new ApplyView(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Plans, shows, confirms and applies; returns the exit code. */
    int apply(ModelLoader.Loaded loaded, Request req, Policy policy) {
        begin(loaded, req);
        try (EngineRun r = new EngineRun(loaded, run, req.selection(), req.kind() == Request.Kind.REMOVE)) {
            Plan plan = req.savedPlan().isPresent() ? PlanJson.load(req.savedPlan().get()) : plan(r, req);
            planView.human(plan, false);
            refuseUnreachable(plan, r);
            if (!plan.failedHosts().isEmpty()) {
                refusePlanErrors(plan, policy.planErrors());
            }
            if (plan.isEmpty()) {
                return ExitCodes.OK;
            }
            if (policy.ask() && !applyView.confirm()) {
                applyView.cancelled();
                return ExitCodes.FAILURE;
            }
            long start = System.nanoTime();
            ApplyResult res = applyTracked(r, plan, req.savedPlan().isPresent());
            int changes = res.changed().values().stream().mapToInt(Integer::intValue).sum();
            applyView.summary(res, changes, System.nanoTime() - start);
            if (!res.ok()) {
                boolean nothing = changes == 0 && plan.hosts().stream().allMatch(h -> h.error() != null);
                return nothing ? ExitCodes.UNAVAILABLE : ExitCodes.FAILURE;
            }
            req.afterApply().ifPresent(text -> applyView.lines(List.of(text)));
            return policy.detailedExitCode() && changes > 0 ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
        }
    }

    /**
     * Applies, and if pig is stopped by a signal meanwhile (Ctrl-C, a SIGTERM), says on its way
     * out what the plan still had per host: a step cut short may have left a host half done, and
     * the next run plans what is left.
     */
    private ApplyResult applyTracked(EngineRun r, Plan plan, boolean checkFresh) {
        ApplyTracker tracker = new ApplyTracker(applyView);
        Thread hook = new Thread(() -> {
            List<String> left = tracker.notApplied(plan);
            if (!left.isEmpty()) {
                List<String> lines = new java.util.ArrayList<>(left);
                lines.add("Run the same command again: it plans what is left.");
                applyView.interrupted(lines);
            }
        }, "pig-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return r.apply(plan, checkFresh, tracker);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs and says what was left
            }
        }
    }

    /**
     * How {@code pig plan} shows a plan and what it exits with.
     *
     * @param saveTo           also save it for {@code pig apply PLANFILE}, or null
     * @param detailedExitCode exit 2 when there are changes
     */
    record Show(boolean json, boolean verbose, Path saveTo, Path inventory, boolean detailedExitCode) {
    }

    /** Plans and shows, changing nothing; returns the exit code. */
    int plan(ModelLoader.Loaded loaded, Request req, Show show) {
        return plan(loaded, req, show, Optional.empty());
    }

    /**
     * Plans and shows, changing nothing; returns the exit code.
     *
     * @param recorded plan from these facts instead of asking the hosts ({@code pig plan --facts})
     */
    int plan(ModelLoader.Loaded loaded, Request req, Show show, Optional<FactsFile> recorded) {
        if (recorded.isPresent() && req.operation().isPresent()) {
            throw new PigException(PigException.Kind.USAGE, "an operation plans from what the members answer now, not from recorded facts");
        }
        begin(loaded, req);
        if (show.saveTo() != null) {
            PlanJson.checkWritable(show.saveTo());
        }
        try (EngineRun r = new EngineRun(loaded, run, req.selection(), req.kind() == Request.Kind.REMOVE)) {
            long t0 = System.nanoTime();
            Plan plan = recorded.isPresent() ? r.planRecorded(recorded.get()) : plan(r, req);
            if (recorded.isPresent()) {
                planView.recorded(recorded.get().recorded(), r.connections().roundTrips().size(), System.nanoTime() - t0);
            } else {
                planView.cost(r.connections().roundTrips(), System.nanoTime() - t0);
            }
            if (show.json()) {
                planView.json(plan, r.deployment().masker());
            } else {
                planView.human(plan, show.verbose());
            }
            if (show.saveTo() != null) {
                PlanJson.save(plan, show.saveTo());
                planView.saved(show.saveTo(), show.inventory());
            }
            if (recorded.isPresent() && !plan.hosts().isEmpty() && plan.failedHosts().size() == plan.hosts().size()) {
                throw new PigException(PigException.Kind.FAILED, "no host could be planned from the recorded facts; nothing was done.");
            }
            refuseUnreachable(plan, r);
            if (!plan.failedHosts().isEmpty()) {
                return ExitCodes.FAILURE;
            }
            return show.detailedExitCode() && !plan.isEmpty() ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
        }
    }

    /** The inventory's warnings. */
    private void begin(ModelLoader.Loaded loaded, Request req) {
        planView.warnings(loaded);
    }

    /** The modules' work, or an operation's: asked what it must know first, then planned. */
    private Plan plan(EngineRun r, Request req) {
        if (req.operation().isEmpty()) {
            return r.plan();
        }
        Operation op = req.operation().get().apply(r.context());
        Gathered probed = op.probe().isEmpty() ? Gathered.none() : r.probe(op.probe());
        Operation.Work work = op.work(probed);
        planView.lines(work.notes());
        return r.planNodes(r.withDeregistration(work), probed);
    }

    /**
     * Refuses, as "unavailable" (69), a plan of which no host could be planned because none
     * could be reached. Hosts that answered but could not be planned (an extension with no
     * package on any of them) are plan errors, refused by name as any other.
     */
    private static void refuseUnreachable(Plan plan, EngineRun r) {
        if (!plan.hosts().isEmpty() && plan.hosts().stream().allMatch(h -> h.error() != null)
                && r.connections().roundTrips().values().stream().noneMatch(n -> n > 0)) {
            throw new PigException(PigException.Kind.UNAVAILABLE, "no host could be reached; nothing was done.");
        }
    }

    /**
     * A plan with hosts that could not be planned applies nothing unless the policy keeps going:
     * the hosts that were planned may wait on one that was not (replicas on a leader, members on
     * an etcd that was never deployed), so applying them alone can leave them half done.
     */
    private static void refusePlanErrors(Plan plan, Policy.PlanErrors policy) {
        List<HostPlan> failed = plan.failedHosts();
        if (policy == Policy.PlanErrors.KEEP_GOING) {
            if (plan.isEmpty()) {
                throw new PigException(PigException.Kind.FAILED, "nothing to apply on the hosts planned; " + failed.size()
                        + " host(s) could not be planned: " + String.join(", ", failed.stream().map(HostPlan::host).toList()));
            }
            return;
        }
        StringBuilder msg = new StringBuilder(failed.size() + " of " + plan.hosts().size()
                + " host(s) could not be planned; nothing was changed:");
        failed.forEach(h -> msg.append("\n  ").append(h.host()).append(": ").append(h.error()));
        msg.append(policy == Policy.PlanErrors.STOP
                ? "\n  Fix the cause and run again, or add --keep-going to apply the hosts that were planned."
                : "\n  Fix the cause and run again: this command changes all of its hosts or none.");
        throw new PigException(PigException.Kind.FAILED, msg.toString());
    }
}
