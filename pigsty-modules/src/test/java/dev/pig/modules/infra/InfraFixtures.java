package dev.pig.modules.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Modules;
import dev.pig.modules.Selection;

/**
 * The INFRA module over an inventory, planned through {@link Deployment} (so the registry's
 * tasks are there as a run has them) against recorded facts: a fresh Debian 12 host, plus
 * whatever sections a test adds.
 */
final class InfraFixtures {
    final ClusterModel model;
    final ModuleContext ctx;

    InfraFixtures(String inventory, String... extraVars) {
        this.model = ModelLoader.load(Golden.root().resolve(inventory), List.of(extraVars)).model();
        this.ctx = new ModuleContext(model, Templates.builtIn());
    }

    static InfraFixtures sandbox() {
        return new InfraFixtures("inventory-examples/sandbox.yml");
    }

    static InfraFixtures own() {
        return new InfraFixtures("src-test-fixtures/infra/inventory.yml");
    }

    /** The work of a run of {@code modules} limited to {@code limit}, removal or deployment. */
    Deployment deployment(String limit, Set<String> modules, boolean removal) {
        Selection sel = Selection.of(limit, null, modules);
        return removal ? Deployment.removal(model, Modules.all(), ctx, sel) : Deployment.of(model, Modules.all(), ctx, sel);
    }

    /** The tasks a run has on {@code host}, in order. */
    static List<Task> tasksOn(Deployment d, String host) {
        for (Map.Entry<SshTarget, List<Task>> e : d.work().entrySet()) {
            if (e.getKey().host().equals(host)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /** {@code host}'s plan in {@code d}, from the fresh-host facts and {@code extraFacts} (more sections). */
    static HostPlan plan(Deployment d, String host, String extraFacts) {
        List<Task> tasks = tasksOn(d, host);
        String out = read("node/facts/debian12-fresh.out") + extraFacts;
        HostFacts facts = new FactGatherer(d.factSections()).parse(host, Planner.request(tasks), out);
        return Planner.planFromFacts(facts, tasks, Masker.none());
    }

    /** Every file a plan uploads, by path, as text. */
    static Map<String, String> uploads(HostPlan plan) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Change c : plan.changes()) {
            if (c instanceof Change.Act a) {
                for (Step s : a.steps()) {
                    if (s instanceof Step.Upload u) {
                        out.put(u.path().replaceAll("/\\.([^/]+)\\.pig-new$", "/$1"), new String(u.content(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    /** Every upload of a plan, by path. */
    static Map<String, Step.Upload> uploadsOf(HostPlan plan) {
        Map<String, Step.Upload> out = new LinkedHashMap<>();
        for (Change c : plan.changes()) {
            if (c instanceof Change.Act a) {
                for (Step s : a.steps()) {
                    if (s instanceof Step.Upload u) {
                        out.put(u.path().replaceAll("/\\.([^/]+)\\.pig-new$", "/$1"), u);
                    }
                }
            }
        }
        return out;
    }

    static List<String> actions(HostPlan plan) {
        List<String> out = new ArrayList<>();
        plan.changes().forEach(c -> {
            if (c instanceof Change.Act a) {
                out.add(a.task());
            }
        });
        return out;
    }

    static String read(String relative) {
        try {
            return Files.readString(Golden.root().resolve("src-test-fixtures").resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path root() {
        return Golden.root();
    }
}
