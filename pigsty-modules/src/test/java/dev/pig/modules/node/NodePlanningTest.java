package dev.pig.modules.node;

import static dev.pig.modules.PlanningFixture.act;
import static dev.pig.modules.PlanningFixture.noop;
import static dev.pig.modules.PlanningFixture.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pig.core.exec.Planner;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.HostPlan;
import dev.pig.modules.Fixtures;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * NODE planned against recorded Debian 12 facts, for what the cases of
 * {@code src-test-fixtures/node/cases/} cannot hold: the {@code converged} fixture they plan from
 * (regenerated with {@code -Dpig.fixtures.update=true}), a key list that depends on a golden
 * copy, and every host of an example inventory.
 */
class NodePlanningTest {
    private static final String HOST = "10.10.10.11";
    private static final String CONVERGED = "node/facts/debian12-converged.out";

    @BeforeAll
    static void regenerate_the_converged_fixture_when_asked() {
        if (Fixtures.update()) {
            PlanningFixture fresh = NodeFixtures.on(HOST, NodeFixtures.recorded("debian12-fresh.out"));
            Fixtures.write(CONVERGED, ConvergedFacts.of(fresh.recorded(HOST), Planner.request(fresh.tasks(HOST)), fresh.plan(HOST)).text());
        }
    }

    @Test
    void keys_already_authorized_are_kept_and_only_missing_ones_added() {
        String path = "/home/dba/.ssh/authorized_keys";
        String hand = "ssh-rsa AAAAB3HandAddedKey admin@laptop\n";
        String content = hand + NodeFixtures.PIG_KEY + "\n";
        HostPlan p = NodeFixtures.on(HOST, RecordedFacts.of(CONVERGED).fileContent(path, content)).plan(HOST);
        String own = Fixtures.read("node/golden/10.10.10.11/home_dba_.ssh_id_ed25519.pub").strip().split(" ")[1];
        assertEquals(content + "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureListKeyForTests0000000000000000 ops@example\n"
                        + "ssh-ed25519 " + own + " dba@10.10.10.11 (pig ssh exchange)\n",
                uploaded(act(p, "file " + path)));
    }

    @Test
    void every_host_of_the_sandbox_example_plans_on_a_fresh_host_with_the_defaults() {
        PlanningFixture sandbox = PlanningFixture.of(new NodeModule(n -> List.of()), "inventory-examples/sandbox.yml");
        for (var node : sandbox.model().nodes()) {
            HostPlan p = sandbox.host(node.id(), RecordedFacts.freshDebian12()).plan(node.id());
            assertEquals(Action.RUN, act(p, "command hostname " + node.nodename()).action());
            String proxy = act(p, "file /etc/apt/apt.conf.d/80pig-proxy").diff();
            assertTrue(proxy.contains("+Acquire::http::Proxy \"http://10.10.10.1:8888\";"), proxy);
            // the default node_repo_modules 'local' names the infra node's repo, which pig does not build:
            // the sandbox's own sources stay, and with them the packages the proxy reaches
            String local = noop(p, "file /etc/apt/sources.list.d/local.list").reason();
            assertTrue(local.contains("module local is the infra node's repo, which pig does not build and the inventory "
                    + "does not name"), local);
            assertTrue(noop(p, "package sources").reason().contains("the host's own are kept"));
            noop(p, "command refresh package lists");
        }
    }
}
