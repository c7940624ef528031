package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;

/**
 * Roles, default privileges and databases planned on the leader from recorded facts: a catalog
 * captured right after pig provisioned pg-test plans nothing, and pg-meta's meta database is
 * created with its baseline.
 */
class ProvisionPlanningTest {
    static final String PG_META_PATRONI = "{\"members\": [{\"name\": \"pg-meta-1\", \"role\": \"leader\", \"state\": \"running\","
            + " \"host\": \"10.10.10.10\", \"port\": 5432, \"timeline\": 1}], \"scope\": \"pg-meta\"}\n";

    static HostPlan planProvisioning(Path inventory, String cluster, String host, String patroni, String catalog) throws IOException {
        ClusterModel model = ModelLoader.load(inventory, List.of()).model();
        ModuleContext ctx = new ModuleContext(model, Templates.builtIn());
        PgsqlModule pgsql = new PgsqlModule();
        List<Task> tasks = new ArrayList<>();
        for (Staged s : pgsql.tasks(ctx, model.node(host).orElseThrow())) {
            if (s.stage().endsWith(" roles") || s.stage().endsWith(" databases")) {
                tasks.add(s);
            }
        }
        String out = Files.readString(Golden.root().resolve("src-test-fixtures/node/facts/debian12-fresh.out"))
                + "@@pig:section ext:" + PatroniCluster.nameOf(cluster) + "\n" + patroni
                + "@@pig:section ext:" + PgCatalog.nameOf(cluster) + "\n" + catalog;
        HostFacts f = new FactGatherer(pgsql.factSections(ctx)).parse(host, Planner.request(tasks), out);
        return Planner.planFromFacts(f, tasks, Masker.none(), Map.of(host, f));
    }

    static Path sandbox() {
        return Golden.root().resolve("inventory-examples/sandbox.yml");
    }

    static String fixture(String name) throws IOException {
        return Files.readString(Golden.root().resolve("src-test-fixtures/pgsql/" + name));
    }

    @Test
    void a_provisioned_leader_plans_no_role_privilege_or_database_change() throws IOException {
        HostPlan p = planProvisioning(sandbox(), "pg-test", "10.10.10.11", fixture("patroni-cluster-initial.json"), fixture("catalog-provisioned.jsonl"));
        assertTrue(p.actions().isEmpty(), "changes on a converged catalog: " + p.actions());
        List<String> tasks = p.changes().stream().map(Change::task).toList();
        assertTrue(tasks.containsAll(List.of("default privileges in template1", "default privileges in postgres", "default privileges in test",
                "role dbuser_dba", "role test", "database test")), tasks.toString());
    }

    @Test
    void a_new_cluster_gets_default_privileges_in_template1_and_postgres_and_its_databases_with_them() throws IOException {
        HostPlan p = planProvisioning(sandbox(), "pg-test", "10.10.10.11", fixture("patroni-cluster-initial.json"), "");
        for (String db : List.of("template1", "postgres")) {
            Change.Act a = assertInstanceOf(Change.Act.class, change(p, "default privileges in " + db));
            assertEquals("default privileges in " + db + ": 51 of 51 grants missing (for postgres, dbuser_dba, dbrole_admin)", a.summary());
        }
        Change.NoOp later = assertInstanceOf(Change.NoOp.class, change(p, "default privileges in test"));
        assertEquals("database test gets them when it is created", later.reason());
        String created = ((Step.Exec) ((Change.Act) change(p, "database test")).steps().get(0)).shownInput();
        assertTrue(created.contains("\\connect \"test\"\n") && created.contains("ALTER DEFAULT PRIVILEGES FOR ROLE \"dbrole_admin\""), created);
    }

    @Test
    void the_meta_database_is_created_with_its_baseline_file() throws IOException {
        HostPlan p = planProvisioning(sandbox(), "pg-meta", "10.10.10.10", PG_META_PATRONI, "");
        Change.Act a = assertInstanceOf(Change.Act.class, change(p, "database meta"));
        assertEquals("database meta with baseline cmdb.sql", a.summary());
        // the baseline's text follows the creation on psql's stdin, in the same session: nothing is uploaded
        Step.Exec e = assertInstanceOf(Step.Exec.class, a.steps().get(0));
        assertEquals(1, a.steps().size());
        String baseline = Files.readString(Golden.root().resolve("inventory-examples/files/cmdb.sql"));
        assertTrue(e.input().endsWith(baseline), e.input());
        assertTrue(e.shownInput().endsWith("-- baseline cmdb.sql (" + baseline.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + " bytes)\n"), e.shownInput());
    }

    @Test
    void a_missing_baseline_fails_the_plan_of_the_database_it_creates(@TempDir Path dir) throws IOException {
        Path inv = Files.writeString(dir.resolve("pigsty.yml"), Files.readString(sandbox()));
        PigException e = assertThrows(PigException.class, () -> planProvisioning(inv, "pg-meta", "10.10.10.10", PG_META_PATRONI, ""));
        assertTrue(e.getMessage().startsWith("database meta: its baseline " + dir.resolve("files/cmdb.sql") + " cannot be read"), e.getMessage());
        // the database exists: its baseline is not needed, nor read
        String meta = "[\"state\", false]\n[\"db\", \"meta\", \"postgres\", \"UTF8\", \"C\", -1, \"pigsty meta database\"]\n"
                + "[\"schema\", \"meta\", \"public\"]\n[\"schema\", \"meta\", \"pigsty\"]\n[\"schema\", \"meta\", \"monitor\"]\n";
        HostPlan p = planProvisioning(inv, "pg-meta", "10.10.10.10", PG_META_PATRONI, meta);
        assertTrue(change(p, "database meta") instanceof Change.NoOp n && n.reason().startsWith("database meta exists"), p.changes().toString());
        // nor for a database to be dropped
        Files.writeString(inv, Files.readString(sandbox()).replace("baseline: cmdb.sql,", "baseline: cmdb.sql, state: absent,"));
        HostPlan absent = planProvisioning(inv, "pg-meta", "10.10.10.10", PG_META_PATRONI, "");
        assertTrue(change(absent, "database meta") instanceof Change.NoOp n && n.reason().equals("database meta does not exist"),
                absent.changes().toString());
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }
}
