package dev.pig.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.ApplyResult;
import dev.pig.core.exec.Executor;
import dev.pig.core.exec.Planner;
import dev.pig.core.exec.ProgressListener;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactsFile;
import dev.pig.core.fact.Gathered;
import dev.pig.core.model.DefaultPasswords;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.plan.Plan;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Modules;
import dev.pig.modules.Selection;

/**
 * One run against hosts: the deployment (or removal) of the selected modules, one SSH connection
 * per host for the whole run, and the engine's steps on it: gather facts, plan, apply. Commands
 * reach hosts only through here, by way of the {@link Workflow}.
 */
final class EngineRun implements AutoCloseable {
    static final Duration FACTS_TIMEOUT = Duration.ofMinutes(2);
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(15);

    private final Deployment deployment;
    private final ModuleContext context;
    private final Connections pool;
    private final FactGatherer gatherer;
    private final RunOptions run;
    private final ModelLoader.Loaded loaded;
    private final boolean removal;

    /** @param removal plan the removal of the modules instead of their deployment ({@code pig node rm}) */
    EngineRun(ModelLoader.Loaded loaded, RunOptions run, Selection selection, boolean removal) {
        this.run = run;
        this.loaded = loaded;
        this.removal = removal;
        this.context = new ModuleContext(loaded.model(), Templates.create(run.templateDir()));
        Selection sel = selection.checkTags(Modules.all());
        this.deployment = removal ? Deployment.removal(loaded.model(), Modules.all(), context, sel)
                : Deployment.of(loaded.model(), Modules.all(), context, sel);
        this.pool = run.connections();
        this.gatherer = new FactGatherer(deployment.factSections());
    }

    Deployment deployment() {
        return deployment;
    }

    ModuleContext context() {
        return context;
    }

    Connections connections() {
        return pool;
    }

    /** How this run reaches a node. */
    SshTarget target(Node n) {
        return deployment.targets().get(Deployment.target(n).host());
    }

    /** The plan of the deployment's work. */
    Plan plan() {
        return plan(deployment.work(), Gathered.none());
    }

    /**
     * An operation's tasks, and on the registrars' hosts (the infra nodes) the deletion of what
     * the instances it removes had registered.
     */
    Map<Node, List<Task>> withDeregistration(dev.pig.modules.Operation.Work work) {
        Map<Node, List<Task>> out = new LinkedHashMap<>();
        work.tasks().forEach((n, tasks) -> out.put(n, new ArrayList<>(tasks)));
        work.removes().forEach((module, nodes) -> Deployment.deregistration(context, Modules.all(), module, nodes)
                .forEach((n, tasks) -> out.computeIfAbsent(n, k -> new ArrayList<>()).addAll(tasks)));
        return out;
    }

    /** The plan of other work (an operation's), using facts a probe gathered wherever they hold what the tasks need. */
    Plan planNodes(Map<Node, List<Task>> work, Gathered probed) {
        Map<SshTarget, List<Task>> byTarget = new LinkedHashMap<>();
        work.forEach((n, tasks) -> byTarget.put(target(n), tasks));
        return plan(byTarget, probed);
    }

    private Plan plan(Map<SshTarget, List<Task>> work, Gathered probed) {
        if (!removal && !run.allowDefaultPasswords) {
            refuseGuessablePasswords(work.keySet().stream().map(SshTarget::host).collect(Collectors.toSet()));
        }
        return planner().plan(work, probed, deployment.masker());
    }

    /** The facts each host is asked for, one round trip per host, all at once. */
    Gathered gather(Map<SshTarget, FactRequest> requests) {
        return planner().gather(requests, deployment.masker());
    }

    /** {@link #gather}, keeping what each host printed, for {@code pig facts -o}. */
    FactsFile record(Map<SshTarget, FactRequest> requests) {
        return planner().record(requests, deployment.masker());
    }

    /** The plan of the deployment's work from recorded facts, reaching no host. */
    Plan planRecorded(FactsFile recorded) {
        Map<SshTarget, List<Task>> work = deployment.work();
        if (!removal && !run.allowDefaultPasswords) {
            refuseGuessablePasswords(work.keySet().stream().map(SshTarget::host).collect(Collectors.toSet()));
        }
        return Planner.planRecorded(work, recorded.parse(gatherer), deployment.masker());
    }

    /** {@link #gather}, each host also timing each section of its facts script. */
    Gathered gatherTimed(Map<SshTarget, FactRequest> requests) {
        return new Planner(pool, gatherer, FACTS_TIMEOUT, run.forks, true).gather(requests, deployment.masker());
    }

    /** {@link #gather} by node. */
    Gathered probe(Map<Node, FactRequest> requests) {
        Map<SshTarget, FactRequest> byTarget = new LinkedHashMap<>();
        requests.forEach((n, r) -> byTarget.put(target(n), r));
        return gather(byTarget);
    }

    private Planner planner() {
        return new Planner(pool, gatherer, FACTS_TIMEOUT, run.forks);
    }

    /**
     * Refuses to plan when a host outside the sandbox would get a guessable password: Pigsty's
     * defaults are public, and {@code DBUser.DBA} opens a superuser reachable from anywhere.
     * Sandbox nodes are reachable from this machine only, so their inventories plan unchanged.
     */
    private void refuseGuessablePasswords(Set<String> planned) {
        List<String> problems = new ArrayList<>();
        for (DefaultPasswords.Finding f : InventoryPasswords.findings(loaded)) {
            List<String> exposed = f.hosts().stream().filter(planned::contains).filter(h -> {
                Node n = loaded.model().node(h).orElseThrow();
                return !DefaultPasswords.isSandbox(n, loaded.model().varsOf(n.id()));
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

    /**
     * Applies exactly the plan, reporting each step to {@code progress}.
     *
     * @param checkFresh refuse the whole plan when a host changed since it was made (a saved plan)
     */
    ApplyResult apply(Plan plan, boolean checkFresh, ProgressListener progress) {
        return new Executor(pool, gatherer, run.forks, STEP_TIMEOUT, deployment.masker(), progress, context.caAsIs())
                .apply(plan, deployment.targets(), checkFresh);
    }

    @Override
    public void close() {
        pool.close();
    }
}
