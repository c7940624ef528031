package dev.pig.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.ModuleContext;

/**
 * {@code node_admin_ssh_exchange} over the two fixture hosts planned together, as one run plans
 * them: every host's admin key is authorized on every host by the first run, and the second
 * plans nothing.
 */
class AdminKeyExchangeTest {
    static final String AUTHORIZED = "/home/dba/.ssh/authorized_keys";
    static final String FRESH = NodeFixtures.read("node/facts/debian12-fresh.out");

    private final NodeFixtures f = new NodeFixtures();

    /** Plans every host given (by its facts output) with the others' facts at hand, as one run does. */
    static Map<String, HostPlan> planRun(NodeModule module, ModuleContext ctx, Map<String, String> outputs) {
        Map<String, List<Task>> tasks = new LinkedHashMap<>();
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        FactGatherer g = new FactGatherer(module.factSections(ctx));
        outputs.forEach((h, out) -> {
            List<Task> t = List.copyOf(module.tasks(ctx, ctx.model().node(h).orElseThrow()));
            tasks.put(h, t);
            fleet.put(h, g.parse(h, Planner.request(t), out));
        });
        Map<String, HostPlan> plans = new LinkedHashMap<>();
        tasks.forEach((h, t) -> plans.put(h, Planner.planFromFacts(fleet.get(h), t, Masker.none(), fleet)));
        return plans;
    }

    private Map<String, HostPlan> firstRun() {
        return planRun(f.module, f.ctx, Map.of("10.10.10.11", FRESH, "10.10.10.12", FRESH));
    }

    /** What each host reports once its plan of {@code run} is applied. */
    private static Map<String, String> converged(NodeModule module, ModuleContext ctx, Map<String, HostPlan> run) {
        Map<String, String> out = new LinkedHashMap<>();
        run.forEach((h, p) -> out.put(h, ConvergedFacts.of(FRESH,
                Planner.request(List.copyOf(module.tasks(ctx, ctx.model().node(h).orElseThrow()))), p)));
        return out;
    }

    private static Change.Act act(HostPlan p, String task) {
        return (Change.Act) p.changes().stream().filter(c -> c.task().equals(task) && c instanceof Change.Act).findFirst()
                .orElseThrow(() -> new AssertionError("no change of " + task + " in " + p.changes()));
    }

    private static String upload(HostPlan p, String task, String path) {
        return act(p, task).steps().stream().filter(s -> s instanceof Step.Upload u && u.path().equals(path))
                .map(s -> new String(((Step.Upload) s).content(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
    }

    private static String publicKey(HostPlan p) {
        String line = upload(p, "ssh key pair /home/dba/.ssh/id_ed25519", "/home/dba/.ssh/id_ed25519.pub");
        return line.split(" ")[1];
    }

    @Test
    void one_run_authorizes_every_hosts_new_admin_key_on_every_host() {
        Map<String, HostPlan> run = firstRun();
        String k11 = publicKey(run.get("10.10.10.11"));
        String k12 = publicKey(run.get("10.10.10.12"));
        for (HostPlan p : run.values()) {
            String keys = upload(p, "file " + AUTHORIZED, AUTHORIZED);
            assertTrue(keys.contains("ssh-ed25519 " + k11 + " dba@10.10.10.11 (pig ssh exchange)\n"), keys);
            assertTrue(keys.contains("ssh-ed25519 " + k12 + " dba@10.10.10.12 (pig ssh exchange)\n"), keys);
        }
        Change.Act pair = act(run.get("10.10.10.12"), "ssh key pair /home/dba/.ssh/id_ed25519");
        assertEquals(Action.CREATE, pair.action());
        Step.Upload priv = (Step.Upload) pair.steps().get(0);
        assertEquals(List.of("/home/dba/.ssh/id_ed25519", "0600", "dba"), List.of(priv.path(), priv.mode(), priv.owner()));
        assertTrue(pair.steps().get(0).shown().startsWith("upload /home/dba/.ssh/id_ed25519 ("), "the plan shows no key: " + pair.steps().get(0).shown());
    }

    @Test
    void the_next_run_finds_every_key_in_place_and_plans_nothing() {
        Map<String, HostPlan> second = planRun(f.module, f.ctx, converged(f.module, f.ctx, firstRun()));
        second.forEach((h, p) -> assertEquals(List.of(), p.actions().stream().map(Change.Act::summary).toList(), h));
        Change.NoOp pair = (Change.NoOp) second.get("10.10.10.11").changes().stream()
                .filter(c -> c.task().equals("ssh key pair /home/dba/.ssh/id_ed25519")).findFirst().orElseThrow();
        assertEquals("dba has an ssh key pair (ssh-ed25519, /home/dba/.ssh/id_ed25519.pub)", pair.reason());
    }

    @Test
    void a_key_pair_made_again_replaces_the_hosts_old_key_everywhere_and_keeps_the_others() {
        Map<String, HostPlan> first = firstRun();
        Map<String, String> facts = converged(f.module, f.ctx, first);
        String old12 = publicKey(first.get("10.10.10.12"));
        // someone removed dba's key on 10.10.10.12: the next run makes a new pair (other randomness than the first)
        facts.put("10.10.10.12", facts.get("10.10.10.12").replaceAll("(?m)^/home/dba/.ssh/id_ed25519\\t.*$",
                "/home/dba/.ssh/id_ed25519\tmissing\t\t\t\t0\t\t"));
        NodeModule again = new NodeModule(n -> List.of(NodeFixtures.PIG_KEY), c -> NodeFixtures.random(c + " again"));
        Map<String, HostPlan> run = planRun(again, f.ctx, facts);

        String new12 = publicKey(run.get("10.10.10.12"));
        assertTrue(!new12.equals(old12));
        String keys = upload(run.get("10.10.10.11"), "file " + AUTHORIZED, AUTHORIZED);
        assertTrue(keys.contains(new12 + " dba@10.10.10.12 (pig ssh exchange)"), keys);
        assertTrue(!keys.contains(old12), keys);
        assertTrue(keys.contains("ops@example") && keys.contains("pig@control") && keys.contains("dba@10.10.10.11 (pig ssh exchange)"), keys);
        assertEquals(List.of("file " + AUTHORIZED), run.get("10.10.10.11").actions().stream().map(Change.Act::task).toList());
    }

    @Test
    void a_private_key_without_its_public_half_gets_it_back_and_is_exchanged_next_run() {
        Map<String, String> facts = converged(f.module, f.ctx, firstRun());
        facts.put("10.10.10.12", facts.get("10.10.10.12").replaceAll("(?m)^/home/dba/.ssh/id_ed25519.pub\\t.*\\n@@content .*$",
                "/home/dba/.ssh/id_ed25519.pub\tmissing\t\t\t\t0\t\t"));
        Map<String, HostPlan> run = planRun(f.module, f.ctx, facts);
        Change.Act restore = act(run.get("10.10.10.12"), "ssh key pair /home/dba/.ssh/id_ed25519");
        assertTrue(restore.steps().get(0).shown().startsWith("cd / && setpriv --reuid=dba ") && restore.steps().get(0).shown().contains("ssh-keygen -y -f \"$1\" > \"$2.pig-new\""),
                restore.steps().get(0).shown());
        // the key is already authorized on 10.10.10.11 from the first run, and stays
        assertEquals(List.of(), run.get("10.10.10.11").actions());
    }

    @Test
    void a_host_outside_the_run_is_not_authorized() {
        Map<String, HostPlan> run = planRun(f.module, f.ctx, Map.of("10.10.10.11", FRESH));
        String keys = upload(run.get("10.10.10.11"), "file " + AUTHORIZED, AUTHORIZED);
        assertTrue(keys.contains("dba@10.10.10.11 (pig ssh exchange)") && !keys.contains("dba@10.10.10.12"), keys);
    }

    @Test
    void without_the_exchange_no_key_pair_is_made() {
        var model = ModelLoader.load(NodeFixtures.path("node/inventory.yml"), List.of("node_admin_ssh_exchange=false")).model();
        ModuleContext ctx = new ModuleContext(model, Templates.builtIn());
        Map<String, HostPlan> run = planRun(f.module, ctx, Map.of("10.10.10.11", FRESH, "10.10.10.12", FRESH));
        for (HostPlan p : run.values()) {
            assertTrue(p.changes().stream().noneMatch(c -> c.task().startsWith("ssh key pair")), p.changes().toString());
            String keys = upload(p, "file " + AUTHORIZED, AUTHORIZED);
            assertTrue(!keys.contains("pig ssh exchange"), keys);
        }
    }

    @Test
    void an_admin_key_path_that_is_a_directory_fails_the_host_naming_it() {
        String out = FRESH.replace("/etc/ssh\tdir", "/home/dba/.ssh/id_ed25519\tdir\t700\tdba\tdba\t0\t\t\n/etc/ssh\tdir");
        PigException e = assertThrows(PigException.class, () -> planRun(f.module, f.ctx, Map.of("10.10.10.11", out)));
        assertEquals("10.10.10.11: /home/dba/.ssh/id_ed25519 is a directory, not a private key", e.getMessage());
    }
}
