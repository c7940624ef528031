package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;

/**
 * After a failover the inventory's primary is a replica: plans follow the leader Patroni reports,
 * so roles are changed on pg-test-2 and nothing starts pg-test-1 as a leader.
 */
class LeaderPlanningTest {
    final ClusterModel model = ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), List.of()).model();
    final ModuleContext ctx = new ModuleContext(model, Templates.builtIn());
    final PgsqlModule pgsql = new PgsqlModule();

    static String fixture(String name) throws IOException {
        return Files.readString(Golden.root().resolve("src-test-fixtures/" + name));
    }

    List<Task> tasks(String host) {
        return new ArrayList<>(pgsql.tasks(ctx, model.node(host).orElseThrow()));
    }

    HostFacts facts(String host, String catalog) throws IOException {
        String out = fixture("node/facts/debian12-fresh.out")
                + "@@pig:section ext:" + PatroniCluster.nameOf("pg-test") + "\n" + fixture("pgsql/patroni-cluster.json")
                + "@@pig:section ext:" + PgCatalog.nameOf("pg-test") + "\n" + catalog
                + "@@pig:section ext:pgsql.interfaces\n" + PgsqlAccessTest.interfaces(host);
        return new FactGatherer(pgsql.factSections(ctx)).parse(host, Planner.request(tasks(host)), out);
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }

    @Test
    void roles_are_provisioned_on_the_live_leader_not_the_inventory_primary() throws IOException {
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        fleet.put("10.10.10.11", facts("10.10.10.11", ""));
        fleet.put("10.10.10.12", facts("10.10.10.12", fixture("pgsql/catalog-converged.jsonl")));
        HostPlan p1 = Planner.planFromFacts(fleet.get("10.10.10.11"), tasks("10.10.10.11"), Masker.none(), fleet);
        HostPlan p2 = Planner.planFromFacts(fleet.get("10.10.10.12"), tasks("10.10.10.12"), Masker.none(), fleet);

        Change.NoOp onOld = assertInstanceOf(Change.NoOp.class, change(p1, "role test"));
        assertEquals("on the leader 10.10.10.12 only", onOld.reason());
        Change.NoOp onLeader = assertInstanceOf(Change.NoOp.class, change(p2, "role test"));
        assertEquals("role test exists with the same attributes", onLeader.reason());
        assertInstanceOf(Change.Act.class, change(p2, "role dbuser_dba"), "a default role missing from the catalog is created");
        assertTrue(p1.changes().stream().anyMatch(c -> c instanceof Change.NoOp n && n.task().equals("unit patroni.service")
                && n.reason().equals("on the leader 10.10.10.12 only")), "pg-test-1 must not be launched as the leader");
    }
}
