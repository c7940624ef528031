package dev.pig.modules.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;

/**
 * The ETCD module over {@code src-test-fixtures/etcd/trio.yml} and {@code four.yml}, planned
 * against the facts recorded on the sandbox under {@code src-test-fixtures/etcd/facts/<state>/}
 * (see the README there), every host with the facts of the others at hand, as a run has them.
 */
final class EtcdFixtures {
    static final List<String> TRIO = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12");
    static final List<String> FOUR = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13");
    final EtcdModule etcd = new EtcdModule();

    /** The model of an inventory of {@code src-test-fixtures/etcd/}, with {@code -e} values. */
    static ModuleContext ctx(String inventory, String... extraVars) {
        ClusterModel m = ModelLoader.load(Golden.root().resolve("src-test-fixtures/etcd/" + inventory), List.of(extraVars)).model();
        return new ModuleContext(m, Templates.builtIn());
    }

    static Path path(String state, String host) {
        return Golden.root().resolve("src-test-fixtures/etcd/facts/" + state + "/" + host + ".out");
    }

    static String read(String state, String host) {
        try {
            return Files.readString(path(state, host), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What each host printed in a state, by host. */
    static Map<String, String> outputs(String state, List<String> hosts) {
        Map<String, String> out = new LinkedHashMap<>();
        hosts.forEach(h -> out.put(h, read(state, h)));
        return out;
    }

    List<Task> tasks(ModuleContext ctx, String host) {
        return new ArrayList<>(etcd.tasks(ctx, ctx.model().node(host).orElseThrow()));
    }

    HostFacts facts(ModuleContext ctx, String host, String output, List<Task> tasks) {
        return new FactGatherer(etcd.factSections(ctx)).parse(host, Planner.request(tasks), output);
    }

    /** Every host's facts, parsed with the request of its ETCD tasks. */
    Map<String, HostFacts> fleet(ModuleContext ctx, Map<String, String> outputs) {
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        outputs.forEach((h, out) -> fleet.put(h, facts(ctx, h, out, tasks(ctx, h))));
        return fleet;
    }

    /** The plan of every host, each planned with the whole fleet's facts. */
    Map<String, HostPlan> plans(ModuleContext ctx, Map<String, String> outputs) {
        Map<String, HostFacts> fleet = fleet(ctx, outputs);
        Map<String, HostPlan> plans = new LinkedHashMap<>();
        fleet.forEach((h, f) -> plans.put(h, Planner.planFromFacts(f, tasks(ctx, h), Masker.none(), fleet)));
        return plans;
    }

    static List<Change.Act> acts(HostPlan p) {
        return p.actions();
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + task + " in " + p.changes()));
    }

    static String stage(HostPlan p, String task) {
        return p.stages().get(p.changes().indexOf(change(p, task)));
    }

    /**
     * Rewrites the managed files in the recorded facts of {@code state} to what the templates now
     * render for {@code inventory}, leaving every other recorded fact as it was. Only with
     * {@code -Dpig.fixtures.update=true}, after an intended template change.
     */
    void refresh(String state, String inventory, List<String> hosts) {
        ModuleContext ctx = ctx(inventory);
        Map<String, String> outputs = outputs(state, hosts);
        Map<String, HostPlan> plans = plans(ctx, outputs);
        for (String h : hosts) {
            String out = outputs.get(h);
            for (Change.Act a : plans.get(h).actions()) {
                for (Step s : a.steps()) {
                    if (s instanceof Step.Upload u && (u.path().equals(EtcdModule.CONF) || u.path().equals(EtcdModule.UNIT))) {
                        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(u.path()) + "\tfile\t(\\d+)\t(\\S+)\t(\\S+)\t\\d+\t[0-9a-f]+\t\n@@content .*$")
                                .matcher(out);
                        if (m.find()) {
                            out = out.substring(0, m.start()) + u.path() + "\tfile\t" + m.group(1) + "\t" + m.group(2) + "\t" + m.group(3)
                                    + "\t" + u.content().length + "\t" + u.sha256() + "\t\n@@content "
                                    + Base64.getEncoder().encodeToString(u.content()) + out.substring(m.end());
                        }
                    }
                }
            }
            try {
                Files.writeString(path(state, h), out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
