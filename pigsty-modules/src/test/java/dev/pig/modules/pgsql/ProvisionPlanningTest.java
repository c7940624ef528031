package dev.pig.modules.pgsql;

import static dev.pig.modules.PlanningFixture.act;
import static dev.pig.modules.PlanningFixture.change;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.diag.PigException;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.modules.Fixtures;
import dev.pig.modules.PlanningFixture;

/**
 * pg-meta's meta database planned on its leader with the baseline file the inventory names: what
 * the database's creation sends, and when the file is read. How roles, default privileges and
 * databases are planned against a recorded catalog is in the cases of
 * {@code src-test-fixtures/pgsql/cases/}.
 */
class ProvisionPlanningTest {
    static final String PG_META_PATRONI = "{\"members\": [{\"name\": \"pg-meta-1\", \"role\": \"leader\", \"state\": \"running\","
            + " \"host\": \"10.10.10.10\", \"port\": 5432, \"timeline\": 1}], \"scope\": \"pg-meta\"}\n";

    /** The roles and databases stages of pg-meta's leader, against this catalog. */
    static HostPlan planMeta(Path inventory, String catalog) {
        return PlanningFixture.of(new PgsqlModule(), inventory, List.of()).tags(List.of("pg_user", "pg_privilege", "pg_db"))
                .host("10.10.10.10", PgsqlFixtures.fresh("10.10.10.10").ext(PatroniCluster.nameOf("pg-meta"), PG_META_PATRONI)
                        .ext(PgCatalog.nameOf("pg-meta"), catalog))
                .plan("10.10.10.10");
    }

    static Path sandbox() {
        return Fixtures.root().resolve(PgsqlFixtures.SANDBOX);
    }

    @Test
    void the_meta_database_is_created_with_its_baseline_file() throws IOException {
        Change.Act a = act(planMeta(sandbox(), ""), "database meta");
        assertEquals("database meta with baseline cmdb.sql", a.summary());
        // the baseline's text follows the creation on psql's stdin, in the same session: nothing is uploaded
        Step.Exec e = assertInstanceOf(Step.Exec.class, a.steps().get(0));
        assertEquals(1, a.steps().size());
        String baseline = Files.readString(Fixtures.root().resolve("inventory-examples/files/cmdb.sql"));
        assertTrue(e.input().endsWith(baseline), e.input());
        assertTrue(e.shownInput().endsWith("-- baseline cmdb.sql (" + baseline.getBytes(StandardCharsets.UTF_8).length
                + " bytes)\n"), e.shownInput());
    }

    @Test
    void a_missing_baseline_fails_the_plan_of_the_database_it_creates(@TempDir Path dir) throws IOException {
        Path inv = Files.writeString(dir.resolve("pigsty.yml"), Files.readString(sandbox()));
        PigException e = assertThrows(PigException.class, () -> planMeta(inv, ""));
        assertTrue(e.getMessage().startsWith("database meta: its baseline " + dir.resolve("files/cmdb.sql") + " cannot be read"), e.getMessage());
        // the database exists: its baseline is not needed, nor read
        String meta = "[\"state\", false]\n[\"db\", \"meta\", \"postgres\", \"UTF8\", \"C\", -1, \"pigsty meta database\"]\n"
                + "[\"schema\", \"meta\", \"public\"]\n[\"schema\", \"meta\", \"pigsty\"]\n[\"schema\", \"meta\", \"monitor\"]\n[\"end\", false]\n";
        HostPlan p = planMeta(inv, meta);
        assertTrue(change(p, "database meta") instanceof Change.NoOp n && n.reason().startsWith("database meta exists"), p.changes().toString());
        // nor for a database to be dropped
        Files.writeString(inv, Files.readString(sandbox()).replace("baseline: cmdb.sql,", "baseline: cmdb.sql, state: absent,"));
        HostPlan absent = planMeta(inv, "");
        assertTrue(change(absent, "database meta") instanceof Change.NoOp n && n.reason().equals("database meta does not exist"),
                absent.changes().toString());
    }
}
