package dev.pig.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.ApplyResult;
import dev.pig.core.exec.Executor;
import dev.pig.core.exec.HostFailure;
import dev.pig.core.exec.Planner;
import dev.pig.core.exec.ProgressListener;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.PlanRenderer;
import dev.pig.core.ssh.Connections;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Modules;
import dev.pig.modules.Selection;

/**
 * One run against hosts: the deployment of the selected modules, one SSH connection per host
 * for the whole run, and the plan / apply / report steps the commands share.
 */
final class EngineRun implements AutoCloseable {
    static final Duration FACTS_TIMEOUT = Duration.ofMinutes(2);
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(15);

    private final Deployment deployment;
    private final Connections pool;
    private final FactGatherer gatherer;
    private final RunOptions run;
    private final ModelLoader.Loaded loaded;
    private final boolean removal;

    EngineRun(ModelLoader.Loaded loaded, RunOptions run, Set<String> modules) {
        this(loaded, run, modules, false);
    }

    /** @param removal plan the removal of the modules instead of their deployment ({@code pig node rm}) */
    EngineRun(ModelLoader.Loaded loaded, RunOptions run, Set<String> modules, boolean removal) {
        this.run = run;
        this.loaded = loaded;
        this.removal = removal;
        ModuleContext ctx = new ModuleContext(loaded.model(), Templates.create(run.templateDir()));
        Selection sel = Selection.of(run.limit, run.tags, modules).checkTags(Modules.all());
        this.deployment = removal ? Deployment.removal(loaded.model(), Modules.all(), ctx, sel)
                : Deployment.of(loaded.model(), Modules.all(), ctx, sel);
        this.pool = run.connections();
        this.gatherer = new FactGatherer(deployment.factSections());
    }

    /**
     * Warns, one line per group, about inventory groups of modules pig does not deploy yet, when
     * a run covers every module (no -t, no module command).
     */
    static void warnSkipped(ModelLoader.Loaded loaded, RunOptions run, Set<String> modules, PrintWriter err) {
        if (modules.isEmpty() && (run.tags == null || run.tags.isBlank())) {
            Modules.skipped(loaded.model()).forEach(w -> err.println("Warning: " + w + "."));
            err.flush();
        }
    }

    Deployment deployment() {
        return deployment;
    }

    Connections connections() {
        return pool;
    }

    FactGatherer gatherer() {
        return gatherer;
    }

    Plan plan() {
        return plan(deployment.work());
    }

    /** One line on what planning cost: hosts, round trips, time. */
    static String factsLine(java.util.Map<String, Integer> roundTrips, long nanos) {
        int hosts = roundTrips.size();
        int max = roundTrips.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return String.format("Facts from %d host(s) in %.1f s, %s.", hosts, nanos / 1e9,
                max <= 1 ? "one round trip each" : "at most " + max + " round trips per host");
    }

    /** Plans other work than the deployment's (a removal), with the same connections and secrets. */
    Plan plan(java.util.Map<dev.pig.core.ssh.SshTarget, java.util.List<dev.pig.core.task.Task>> work) {
        if (!removal && !run.allowDefaultPasswords) {
            refuseGuessablePasswords(work.keySet().stream().map(dev.pig.core.ssh.SshTarget::host).collect(java.util.stream.Collectors.toSet()));
        }
        return new Planner(pool, gatherer, FACTS_TIMEOUT, run.forks).plan(work, deployment.masker());
    }

    /**
     * Refuses to plan when a host outside the sandbox would get a guessable password: Pigsty's
     * defaults are public, and {@code DBUser.DBA} opens a superuser reachable from anywhere.
     * Sandbox nodes are reachable from this machine only, so their inventories plan unchanged.
     */
    private void refuseGuessablePasswords(Set<String> planned) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (dev.pig.core.model.DefaultPasswords.Finding f : InventoryPasswords.findings(loaded)) {
            java.util.List<String> exposed = f.hosts().stream().filter(planned::contains).filter(h -> {
                dev.pig.core.model.Node n = loaded.model().node(h).orElseThrow();
                return !dev.pig.core.model.DefaultPasswords.isSandbox(n, loaded.model().varsOf(n.id()));
            }).toList();
            if (!exposed.isEmpty()) {
                problems.add("  " + f.describe() + " (" + (f.written() ? f.source().file() + " line " + f.source().line()
                        : "the default") + "), on " + String.join(", ", exposed));
            }
        }
        if (!problems.isEmpty()) {
            throw new PigException(PigException.Kind.INVALID_INPUT, problems.size() + " guessable password(s) for hosts outside"
                    + " the sandbox; nothing was planned:\n" + String.join("\n", problems)
                    + "\n  Run 'pig inventory passwords --generate -i " + loaded.inventory().file() + "' to replace them with strong"
                    + " ones, or plan anyway with --allow-default-passwords.");
        }
    }

    /** Applies a plan, printing a line per step; returns the exit code. */
    int apply(Plan plan, boolean checkFresh, PrintWriter out, PrintWriter err) {
        return apply(plan, checkFresh, false, out, err);
    }

    /**
     * Applies a plan, printing a line when a step starts and one when it is done.
     *
     * @param detailed {@code --detailed-exitcode}: exit 2 when changes were applied, 0 when none
     * @return the exit code
     */
    int apply(Plan plan, boolean checkFresh, boolean detailed, PrintWriter out, PrintWriter err) {
        long start = System.nanoTime();
        ProgressListener progress = new ProgressListener() {
            @Override
            public void stepStarted(int index, int total, String task, int hosts) {
                out.println(dev.pig.core.exec.StepReport.startLine(index, total, task, hosts));
                out.flush();
            }

            @Override
            public void stepDone(dev.pig.core.exec.StepReport r) {
                out.println(r.line());
                out.flush();
            }

            @Override
            public void hostFailed(HostFailure f) {
                err.println("Error: " + f);
                err.flush();
            }
        };
        ApplyResult r = new Executor(pool, gatherer, run.forks, STEP_TIMEOUT, deployment.masker(), progress)
                .apply(plan, deployment.targets(), checkFresh);
        int changes = r.changed().values().stream().mapToInt(Integer::intValue).sum();
        String took = String.format("%.1f s", (System.nanoTime() - start) / 1e9);
        if (r.ok()) {
            out.println("Apply complete: " + changes + " change(s) on " + r.changed().values().stream().filter(n -> n > 0).count()
                    + " host(s) in " + took + ".");
            return detailed && changes > 0 ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
        }
        err.println();
        err.println("Apply failed on " + r.failures().size() + " host(s); " + changes + " change(s) were made elsewhere in " + took + ":");
        for (HostFailure f : r.failures()) {
            err.println("  " + f);
        }
        err.println("Fix the cause and run again: hosts that converged report no changes.");
        boolean nothing = changes == 0 && plan.hosts().stream().allMatch(h -> h.error() != null);
        return nothing ? ExitCodes.UNAVAILABLE : ExitCodes.FAILURE;
    }

    /** Prints the plan; returns true when there is something to apply. */
    static boolean show(Plan plan, boolean verbose, PrintWriter out) {
        out.print(PlanRenderer.text(plan, verbose));
        out.flush();
        return !plan.isEmpty();
    }

    /** The exit code of a plan that could not be made for any host, or -1. */
    static int unreachable(Plan plan, PrintWriter err) {
        if (!plan.hosts().isEmpty() && plan.hosts().stream().allMatch(h -> h.error() != null)) {
            err.println("Error: no host could be reached; nothing was done.");
            return ExitCodes.UNAVAILABLE;
        }
        return -1;
    }

    /** Asks before applying unless {@code -y}; without a terminal to ask on, refuses. */
    static boolean confirm(boolean yes, PrintWriter out) {
        if (yes) {
            return true;
        }
        if (System.console() == null) {
            throw new PigException(PigException.Kind.USAGE, "not applying without confirmation: run with -y to apply non-interactively");
        }
        out.print("Apply these changes? Only 'yes' applies: ");
        out.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return "yes".equals(line == null ? "" : line.trim());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
