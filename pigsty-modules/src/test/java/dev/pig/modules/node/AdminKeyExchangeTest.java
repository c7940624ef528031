package dev.pig.modules.node;

import static dev.pig.modules.PlanningFixture.act;
import static dev.pig.modules.PlanningFixture.acting;
import static dev.pig.modules.PlanningFixture.reason;
import static dev.pig.modules.PlanningFixture.summaries;
import static dev.pig.modules.PlanningFixture.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * {@code node_admin_ssh_exchange} over the two fixture hosts planned together, as one run plans
 * them: every host's admin key is authorized on every host by the first run, and the second
 * plans nothing.
 */
class AdminKeyExchangeTest {
    static final String AUTHORIZED = "/home/dba/.ssh/authorized_keys";
    static final String KEY_PAIR = "ssh key pair /home/dba/.ssh/id_ed25519";

    /** Both hosts fresh. */
    private static PlanningFixture fresh(PlanningFixture f) {
        return f.hosts(NodeFixtures.HOSTS, h -> RecordedFacts.freshDebian12());
    }

    /** What each host reports once its plan of {@code run} is applied. */
    private static PlanningFixture converged(PlanningFixture f, Map<String, HostPlan> run) {
        PlanningFixture out = f;
        for (var e : run.entrySet()) {
            out = out.host(e.getKey(), ConvergedFacts.of(RecordedFacts.freshDebian12(), Planner.request(f.tasks(e.getKey())), e.getValue()));
        }
        return out;
    }

    private static String publicKey(HostPlan p) {
        Change.Act pair = act(p, KEY_PAIR);
        return pair.steps().stream().filter(s -> s instanceof Step.Upload u && u.path().equals("/home/dba/.ssh/id_ed25519.pub"))
                .map(s -> new String(((Step.Upload) s).content(), java.nio.charset.StandardCharsets.UTF_8)).findFirst()
                .orElseThrow().split(" ")[1];
    }

    @Test
    void one_run_authorizes_every_hosts_new_admin_key_on_every_host() {
        Map<String, HostPlan> run = fresh(NodeFixtures.fixture()).planAll();
        String k11 = publicKey(run.get("10.10.10.11"));
        String k12 = publicKey(run.get("10.10.10.12"));
        for (HostPlan p : run.values()) {
            String keys = uploaded(act(p, "file " + AUTHORIZED));
            assertTrue(keys.contains("ssh-ed25519 " + k11 + " dba@10.10.10.11 (pig ssh exchange)\n"), keys);
            assertTrue(keys.contains("ssh-ed25519 " + k12 + " dba@10.10.10.12 (pig ssh exchange)\n"), keys);
        }
        Change.Act pair = act(run.get("10.10.10.12"), KEY_PAIR);
        assertEquals(Action.CREATE, pair.action());
        Step.Upload priv = (Step.Upload) pair.steps().get(0);
        assertEquals(List.of("/home/dba/.ssh/id_ed25519", "0600", "dba"), List.of(priv.path(), priv.mode(), priv.owner()));
        assertTrue(pair.steps().get(0).shown().startsWith("upload /home/dba/.ssh/id_ed25519 ("), "the plan shows no key: " + pair.steps().get(0).shown());
    }

    @Test
    void the_next_run_finds_every_key_in_place_and_plans_nothing() {
        PlanningFixture first = fresh(NodeFixtures.fixture());
        Map<String, HostPlan> second = converged(first, first.planAll()).planAll();
        second.forEach((h, p) -> assertEquals(List.of(), summaries(p), h));
        assertEquals("dba has an ssh key pair (ssh-ed25519, /home/dba/.ssh/id_ed25519.pub)", reason(second.get("10.10.10.11"), KEY_PAIR));
    }

    @Test
    void a_key_pair_made_again_replaces_the_hosts_old_key_everywhere_and_keeps_the_others() {
        PlanningFixture f = fresh(NodeFixtures.fixture());
        Map<String, HostPlan> first = f.planAll();
        String old12 = publicKey(first.get("10.10.10.12"));
        // someone removed dba's key on 10.10.10.12: the next run makes a new pair (other randomness than the first)
        PlanningFixture after = converged(f, first);
        after = after.host("10.10.10.12", after.recorded("10.10.10.12").fileMissing("/home/dba/.ssh/id_ed25519"));
        Map<String, HostPlan> run = after.module(new NodeModule(n -> List.of(NodeFixtures.PIG_KEY), c -> NodeFixtures.random(c + " again")))
                .planAll();

        String new12 = publicKey(run.get("10.10.10.12"));
        assertTrue(!new12.equals(old12));
        String keys = uploaded(act(run.get("10.10.10.11"), "file " + AUTHORIZED));
        assertTrue(keys.contains(new12 + " dba@10.10.10.12 (pig ssh exchange)"), keys);
        assertTrue(!keys.contains(old12), keys);
        assertTrue(keys.contains("ops@example") && keys.contains("pig@control") && keys.contains("dba@10.10.10.11 (pig ssh exchange)"), keys);
        assertEquals(List.of("file " + AUTHORIZED), acting(run.get("10.10.10.11")));
    }

    @Test
    void a_private_key_without_its_public_half_gets_it_back_and_is_exchanged_next_run() {
        PlanningFixture f = fresh(NodeFixtures.fixture());
        PlanningFixture after = converged(f, f.planAll());
        after = after.host("10.10.10.12", after.recorded("10.10.10.12").fileMissing("/home/dba/.ssh/id_ed25519.pub"));
        Map<String, HostPlan> run = after.planAll();
        String restore = act(run.get("10.10.10.12"), KEY_PAIR).steps().get(0).shown();
        assertTrue(restore.startsWith("cd / && setpriv --reuid=dba ") && restore.contains("ssh-keygen -y -f \"$1\" > \"$2.pig-new\""), restore);
        // the key is already authorized on 10.10.10.11 from the first run, and stays
        assertEquals(List.of(), run.get("10.10.10.11").actions());
    }

    @Test
    void a_host_outside_the_run_is_not_authorized() {
        HostPlan p = NodeFixtures.on("10.10.10.11", RecordedFacts.freshDebian12()).plan("10.10.10.11");
        String keys = uploaded(act(p, "file " + AUTHORIZED));
        assertTrue(keys.contains("dba@10.10.10.11 (pig ssh exchange)") && !keys.contains("dba@10.10.10.12"), keys);
    }

    @Test
    void without_the_exchange_no_key_pair_is_made() {
        for (HostPlan p : fresh(NodeFixtures.fixture("node_admin_ssh_exchange=false")).planAll().values()) {
            assertTrue(p.changes().stream().noneMatch(c -> c.task().startsWith("ssh key pair")), p.changes().toString());
            String keys = uploaded(act(p, "file " + AUTHORIZED));
            assertTrue(!keys.contains("pig ssh exchange"), keys);
        }
    }

    @Test
    void an_admin_key_path_that_is_a_directory_fails_the_host_naming_it() {
        PlanningFixture f = NodeFixtures.on("10.10.10.11", RecordedFacts.freshDebian12()
                .replace("/etc/ssh\tdir", "/home/dba/.ssh/id_ed25519\tdir\t700\tdba\tdba\t0\t\t\n/etc/ssh\tdir"));
        PigException e = assertThrows(PigException.class, () -> f.plan("10.10.10.11"));
        assertEquals("10.10.10.11: /home/dba/.ssh/id_ed25519 is a directory, not a private key", e.getMessage());
    }

    @Test
    void a_key_pair_pig_made_is_kept_until_applied_so_repeated_plans_are_the_same(@org.junit.jupiter.api.io.TempDir java.nio.file.Path store)
            throws java.io.IOException {
        java.util.function.Function<String, java.security.SecureRandom> fresh = c -> new java.security.SecureRandom();
        PlanningFixture one = fresh(NodeFixtures.fixture().module(new NodeModule(n -> List.of(NodeFixtures.PIG_KEY), fresh, store)));
        PlanningFixture two = fresh(NodeFixtures.fixture().module(new NodeModule(n -> List.of(NodeFixtures.PIG_KEY), fresh, store)));
        Map<String, HostPlan> a = one.planAll();
        Map<String, HostPlan> b = two.planAll();
        assertEquals(publicKey(a.get("10.10.10.11")), publicKey(b.get("10.10.10.11")), "two plans, two runs of pig: the same new key");
        assertEquals(uploaded(act(a.get("10.10.10.12"), "file " + AUTHORIZED)), uploaded(act(b.get("10.10.10.12"), "file " + AUTHORIZED)));
        // one private file per host a pair was made for: the fixture's two
        try (var kept = java.nio.file.Files.list(store)) {
            List<java.nio.file.Path> files = kept.toList();
            assertEquals(2, files.size(), files.toString());
            for (java.nio.file.Path f : files) {
                assertTrue(f.getFileName().toString().endsWith(".pair"), f.toString());
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(f)));
            }
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(store)));
        // applied: the hosts have their keys, and pig forgets the ones it kept
        converged(one, a).planAll();
        try (var left = java.nio.file.Files.list(store)) {
            assertEquals(List.of(), left.filter(f -> !f.getFileName().toString().startsWith(".")).toList());
        }
    }

    @Test
    void a_kept_pair_cut_short_is_made_again_and_an_earlier_versions_pair_is_forgotten(@org.junit.jupiter.api.io.TempDir java.nio.file.Path store)
            throws java.io.IOException {
        java.util.function.Function<String, java.security.SecureRandom> fresh = c -> new java.security.SecureRandom();
        SshKeys.Pair first = new AdminKeys(fresh, store).made("10.10.10.11", "dba@pg-test-1");
        java.nio.file.Path kept = store.resolve("10.10.10.11_dba@pg-test-1.pair");
        byte[] whole = java.nio.file.Files.readAllBytes(kept);
        assertEquals(first.publicLine() + "\n" + new String(first.privateFile(), java.nio.charset.StandardCharsets.UTF_8),
                new String(whole, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(first.publicLine(), new AdminKeys(fresh, store).made("10.10.10.11", "dba@pg-test-1").publicLine(), "read back");
        // a run stopped while writing it: the next makes a new pair and keeps it whole
        java.nio.file.Files.write(kept, java.util.Arrays.copyOf(whole, whole.length / 2));
        SshKeys.Pair again = new AdminKeys(fresh, store).made("10.10.10.11", "dba@pg-test-1");
        assertNotEquals(first.publicLine(), again.publicLine());
        assertEquals(again.publicLine(), new AdminKeys(fresh, store).made("10.10.10.11", "dba@pg-test-1").publicLine());
        // a pair an earlier version kept as two files goes when the host has its own key
        java.nio.file.Files.writeString(store.resolve("10.10.10.12_dba@app-1"), "private");
        java.nio.file.Files.writeString(store.resolve("10.10.10.12_dba@app-1.pub"), "public");
        PlanningFixture f = fresh(NodeFixtures.fixture().module(new NodeModule(n -> List.of(NodeFixtures.PIG_KEY), fresh, store)));
        converged(f, f.planAll()).planAll();
        try (var left = java.nio.file.Files.list(store)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void merging_keeps_every_line_once_options_or_not() {
        String k1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKqA2rXkFHjv9nA6W3Nq1gG6cGgT1yJcC0N1bS0M3x0Y";
        String k2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        byte[] have = ("from=\"10.0.0.0/8\" " + k1 + " hand\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String files = AUTHORIZED + "\tfile\t600\tdba\tdba\t" + have.length + "\t" + Step.Hashes.sha256(have) + "\t\n@@content "
                + java.util.Base64.getEncoder().encodeToString(have) + "\n";
        var facts = NodeFixtures.fixture().hosts(NodeFixtures.HOSTS, h -> RecordedFacts.freshDebian12().section("files", files))
                .facts("10.10.10.11");
        List<String> merged = NodeModule.mergeKeys(facts, AUTHORIZED, List.of(k1 + " again", k2 + " new"));
        assertEquals(List.of("from=\"10.0.0.0/8\" " + k1 + " hand", k2 + " new"), merged);
    }
}
