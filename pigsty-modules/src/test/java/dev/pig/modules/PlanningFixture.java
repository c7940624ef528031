package dev.pig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;

/**
 * One module planned from recorded facts, as a run plans it but without a host: an inventory
 * with {@code -e} values, the module's tasks for each host, each host's {@link RecordedFacts}
 * parsed with the request of its own tasks, and every host planned with the whole fleet's facts
 * at hand. Immutable: each {@code with}-style method returns a new fixture.
 *
 * <pre>{@code
 * PlanningFixture f = PlanningFixture.of(new PgsqlModule(), "inventory-examples/sandbox.yml", "pg_rpo=0")
 *         .hosts(List.of("10.10.10.11", "10.10.10.12"), h -> RecordedFacts.freshDebian12()
 *                 .extFixture("pgsql.patroni.pg-test", "pgsql/patroni-cluster.json"));
 * Change.NoOp n = noop(f.plan("10.10.10.11"), "role test");
 * }</pre>
 *
 * The static methods read plans: a change by task name or tag, its stage, what it uploads, and
 * whether a step's command is valid {@code sh}.
 */
public final class PlanningFixture {
    private final PigModule module;
    private final ModuleContext ctx;
    private final BiFunction<ModuleContext, Node, List<? extends Task>> tasks;
    private final Map<String, RecordedFacts> facts;
    private final Masker masker;
    /** Plans a removal: the module's tasks see the hosts with facts as the ones the run removes. */
    private final boolean removing;

    private PlanningFixture(PigModule module, ModuleContext ctx, BiFunction<ModuleContext, Node, List<? extends Task>> tasks,
                            Map<String, RecordedFacts> facts, Masker masker, boolean removing) {
        this.module = module;
        this.ctx = ctx;
        this.tasks = tasks;
        this.facts = facts;
        this.masker = masker;
        this.removing = removing;
    }

    /** {@code module} over an inventory given relative to the repository root, with {@code -e} values. */
    public static PlanningFixture of(PigModule module, String inventory, String... extraVars) {
        return of(module, Fixtures.root().resolve(inventory), List.of(extraVars));
    }

    public static PlanningFixture of(PigModule module, Path inventory, List<String> extraVars) {
        ClusterModel model = ModelLoader.load(inventory, extraVars).model();
        return new PlanningFixture(module, new ModuleContext(model, Templates.builtIn()), module::tasks, Map.of(), Masker.none(), false);
    }

    /** {@code module} over an inventory written here, as the YAML of a {@code pigsty.yml}. */
    public static PlanningFixture inline(PigModule module, String inventoryYaml, String... extraVars) {
        try {
            Path dir = Files.createTempDirectory("pig-inventory");
            // deleted at exit in the reverse order: the file, then its directory
            dir.toFile().deleteOnExit();
            Path file = Files.writeString(dir.resolve("pigsty.yml"), inventoryYaml, StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            return of(module, file, List.of(extraVars));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same inventory and facts with another instance of the module (other keys, other randomness). */
    public PlanningFixture module(PigModule other) {
        return new PlanningFixture(other, ctx, other::tasks, facts, masker, removing);
    }

    /** Plans what removing the module undoes ({@code pig node rm}, {@code pig pgsql rm}) instead of its tasks. */
    public PlanningFixture removal() {
        return new PlanningFixture(module, ctx, module::removal, facts, masker, true);
    }

    /** Plans these tasks for each host instead of the module's. */
    public PlanningFixture tasks(BiFunction<ModuleContext, Node, List<? extends Task>> what) {
        return new PlanningFixture(module, ctx, what, facts, masker, removing);
    }

    /** Only the tasks with one of these tags, as {@code -t} selects them. */
    public PlanningFixture tags(Collection<String> tags) {
        Set<String> selected = Set.copyOf(tags);
        BiFunction<ModuleContext, Node, List<? extends Task>> all = tasks;
        return tasks((c, n) -> all.apply(c, n).stream().filter(t -> selected.contains(t.tag())).toList());
    }

    /** Plans masking these secrets, as a run masks every secret of the inventory. */
    public PlanningFixture masking(Masker m) {
        return new PlanningFixture(module, ctx, tasks, facts, m, removing);
    }

    /** {@code host} reports {@code f}; the hosts with facts are the fleet every host is planned with. */
    public PlanningFixture host(String host, RecordedFacts f) {
        Map<String, RecordedFacts> out = new LinkedHashMap<>(facts);
        out.put(host, f);
        return new PlanningFixture(module, ctx, tasks, out, masker, removing);
    }

    /** Each of {@code hosts} reports what {@code f} gives for it. */
    public PlanningFixture hosts(Collection<String> hosts, Function<String, RecordedFacts> f) {
        PlanningFixture out = this;
        for (String h : hosts) {
            out = out.host(h, f.apply(h));
        }
        return out;
    }

    /** Only these hosts keep their facts: the others are out of the run (or unreachable). */
    public PlanningFixture only(Collection<String> hosts) {
        Map<String, RecordedFacts> out = new LinkedHashMap<>(facts);
        out.keySet().retainAll(hosts);
        return new PlanningFixture(module, ctx, tasks, out, masker, removing);
    }

    public PigModule module() {
        return module;
    }

    public ModuleContext ctx() {
        return ctx;
    }

    public ClusterModel model() {
        return ctx.model();
    }

    public Node node(String host) {
        return model().node(host).orElseThrow(() -> new AssertionError("no host " + host + " in the inventory"));
    }

    /** What {@code host} reports, as given. */
    public RecordedFacts recorded(String host) {
        RecordedFacts f = facts.get(host);
        if (f == null) {
            throw new AssertionError("no facts given for " + host + "; given: " + facts.keySet());
        }
        return f;
    }

    /** The tasks planned for {@code host}. */
    public List<Task> tasks(String host) {
        java.util.Set<String> removed = new java.util.LinkedHashSet<>();
        facts.keySet().forEach(h -> removed.add(node(h).id()));
        return List.copyOf(tasks.apply(removing ? ctx.removing(removed) : ctx, node(host)));
    }

    /** {@code host}'s facts, parsed with the request of its tasks. */
    public HostFacts facts(String host) {
        RecordedFacts f = recorded(host);
        List<String> known = module.factSections(ctx).stream().map(FactSection::name).toList();
        for (String name : f.added()) {
            if (!known.contains(name)) {
                throw new AssertionError("module " + module.name() + " has no fact section " + name + "; it has " + known);
            }
        }
        var request = Planner.request(tasks(host));
        return new FactGatherer(module.factSections(ctx)).parse(host, request, f.text(request));
    }

    /** Every host's facts, in the order they were given. */
    public Map<String, HostFacts> fleet() {
        Map<String, HostFacts> out = new LinkedHashMap<>();
        facts.keySet().forEach(h -> out.put(h, facts(h)));
        return out;
    }

    /** {@code host}'s tasks planned against its facts, the fleet's at hand. */
    public HostPlan plan(String host) {
        return plan(host, tasks(host), fleet());
    }

    /** Other tasks of {@code host} (a member removal, a recovery) planned against the fleet's facts. */
    public HostPlan plan(String host, List<? extends Task> these) {
        return plan(host, these, fleet());
    }

    /** {@code these} planned on {@code host} against facts gathered already. */
    public HostPlan plan(String host, List<? extends Task> these, Map<String, HostFacts> fleet) {
        HostFacts f = fleet.get(host);
        if (f == null) {
            throw new AssertionError("no facts of " + host + " in the fleet " + fleet.keySet());
        }
        return Planner.planFromFacts(f, List.copyOf(these), masker, fleet);
    }

    /** Every host with facts, planned as one run plans them. */
    public Map<String, HostPlan> planAll() {
        Map<String, HostFacts> fleet = fleet();
        Map<String, HostPlan> out = new LinkedHashMap<>();
        fleet.keySet().forEach(h -> out.put(h, plan(h, tasks(h), fleet)));
        return out;
    }

    // ------------------------------------------------------------------ reading plans

    /** The first change of {@code task}. */
    public static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in the plan of " + p.host() + ": " + tasks(p)));
    }

    /** The one change tagged {@code tag}. */
    public static Change tagged(HostPlan p, String tag) {
        List<Change> found = p.changes().stream().filter(c -> c.tag().equals(tag)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " changes tagged " + tag + " in the plan of " + p.host() + ": "
                    + found.stream().map(Change::task).toList());
        }
        return found.get(0);
    }

    /** The change of {@code task}, which must be an action. */
    public static Change.Act act(HostPlan p, String task) {
        Change c = change(p, task);
        if (c instanceof Change.Act a) {
            return a;
        }
        throw new AssertionError(task + " is a no-op on " + p.host() + ": " + ((Change.NoOp) c).reason());
    }

    /** The change of {@code task}, which must be a no-op. */
    public static Change.NoOp noop(HostPlan p, String task) {
        Change c = change(p, task);
        if (c instanceof Change.NoOp n) {
            return n;
        }
        throw new AssertionError(task + " acts on " + p.host() + ": " + ((Change.Act) c).summary());
    }

    /** The reason the no-op of {@code task} gives. */
    public static String reason(HostPlan p, String task) {
        return noop(p, task).reason();
    }

    /** The stage the first change of {@code task} runs in. */
    public static String stage(HostPlan p, String task) {
        return p.stages().get(p.changes().indexOf(change(p, task)));
    }

    /** The task names of every change, in order. */
    public static List<String> tasks(HostPlan p) {
        return p.changes().stream().map(Change::task).toList();
    }

    /** The task names of the actions, in order. */
    public static List<String> acting(HostPlan p) {
        return p.actions().stream().map(Change.Act::task).toList();
    }

    /** The summaries of the actions, in order: {@code []} when the host has nothing to do. */
    public static List<String> summaries(HostPlan p) {
        return p.actions().stream().map(Change.Act::summary).toList();
    }

    /** The content the first upload of a change writes. */
    public static String uploaded(Change c) {
        if (!(c instanceof Change.Act a)) {
            throw new AssertionError(c.task() + " uploads nothing: it is a no-op (" + ((Change.NoOp) c).reason() + ")");
        }
        return a.steps().stream().filter(s -> s instanceof Step.Upload).map(s -> text(((Step.Upload) s).content())).findFirst()
                .orElseThrow(() -> new AssertionError(c.task() + " uploads nothing: " + a.steps()));
    }

    /** The content the plan writes to {@code path} (a file staged as {@code .name.pig-new} beside it counts). */
    public static String uploaded(HostPlan p, String path) {
        String content = uploads(p).get(path);
        if (content == null) {
            throw new AssertionError("no upload of " + path + " on " + p.host() + ": " + uploads(p).keySet());
        }
        return content;
    }

    /** Every file the plan writes, by the path it ends at. */
    public static Map<String, String> uploads(HostPlan p) {
        Map<String, String> out = new TreeMap<>();
        for (Change.Act a : p.actions()) {
            for (Step s : a.steps()) {
                if (s instanceof Step.Upload u) {
                    out.put(finalPath(u.path()), text(u.content()));
                }
            }
        }
        return out;
    }

    /** Where a file staged for a check ({@code /etc/sudoers.d/.dba.pig-new}) ends. */
    public static String finalPath(String path) {
        return path.replaceAll("/\\.([^/]+)\\.pig-new$", "/$1");
    }

    /** The commands of a change's steps, as run (not masked). */
    public static List<String> commands(Change.Act a) {
        return a.steps().stream().map(s -> s instanceof Step.Exec e ? e.command() : s.shown()).toList();
    }

    /** Fails unless {@code sh -n} parses {@code command}: the step would not even start on the host. */
    public static void assertValidShell(String command) {
        try {
            Process sh = new ProcessBuilder("sh", "-n", "-c", command).redirectErrorStream(true).start();
            String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, sh.waitFor(), "not valid sh: " + command + "\n" + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@link #assertValidShell} for every command step of every action of the plan. */
    public static void assertValidShell(HostPlan p) {
        List<String> commands = new ArrayList<>();
        p.actions().forEach(a -> a.steps().forEach(s -> {
            if (s instanceof Step.Exec e) {
                commands.add(e.command());
            }
        }));
        commands.forEach(PlanningFixture::assertValidShell);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
