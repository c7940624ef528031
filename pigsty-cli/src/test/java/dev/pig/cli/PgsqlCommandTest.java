package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Modules;
import dev.pig.modules.Selection;

/** {@code pig pgsql ...}: the checks made before any host is reached; what they plan is tested with the PGSQL module. */
class PgsqlCommandTest {
    static final String INV = PigRunner.path("inventory-examples/sandbox.yml");

    @Test
    void pgsql_without_a_subcommand_shows_every_verb() {
        PigRunner.Result r = PigRunner.run("pgsql");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        for (String verb : new String[] {"add", "rm", "user", "db", "hba"}) {
            assertTrue(r.out().contains(verb), r.out());
        }
    }

    @Test
    void an_unknown_cluster_is_refused() {
        PigRunner.Result r = PigRunner.run("pgsql", "add", "-i", INV, "pg-nope");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("no PostgreSQL cluster 'pg-nope'"), r.err());
    }

    @Test
    void a_host_outside_the_cluster_is_refused() {
        PigRunner.Result r = PigRunner.run("pgsql", "add", "-i", INV, "pg-test", "10.10.10.10");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("not an instance of pg-test"), r.err());
    }

    @Test
    void removal_is_refused_under_the_safeguard() {
        PigRunner.Result r = PigRunner.run("pgsql", "rm", "-i", INV, "pg-test", "-e", "pg_safeguard=true", "-y");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("pg_safeguard is set for pg-test-1"), r.err());
    }

    @Test
    void rm_data_and_keep_data_contradict() {
        PigRunner.Result r = PigRunner.run("pgsql", "rm", "-i", INV, "pg-test", "--rm-data", "--keep-data");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    }

    @Test
    void user_and_db_must_be_in_the_inventory() {
        PigRunner.Result u = PigRunner.run("pgsql", "user", "-i", INV, "pg-test", "nobody");
        assertEquals(ExitCodes.USAGE, u.code(), u.toString());
        assertTrue(u.err().contains("not in the pg_users of pg-test"), u.err());
        PigRunner.Result d = PigRunner.run("pgsql", "db", "-i", INV, "pg-test", "nodb");
        assertEquals(ExitCodes.USAGE, d.code(), d.toString());
        assertTrue(d.err().contains("not in the pg_databases of pg-test"), d.err());
    }

    static final String USERS = "{pg_users: [{name: test}, {name: other}, {name: old, state: absent}]}";
    static final String DBS = "{pg_databases: [{name: app}, {name: test, state: recreate}, {name: legacy, state: absent}]}";

    /**
     * The names of the tasks of {@code kind} pg-test has under {@code tags}; with {@code name},
     * only the {@code entryTag} tasks of that entry, as {@code pgsql user} and {@code db} select them.
     */
    static List<String> planned(String tags, String kind, String entryTag, String name, String extra) {
        ClusterModel m = ModelLoader.load(Path.of(INV), List.of(extra)).model();
        Selection sel = Selection.of("pg-test", tags, Set.of("pgsql"));
        Deployment d = Deployment.of(m, Modules.all(), new ModuleContext(m, Templates.builtIn()),
                name == null ? sel : sel.only(entryTag, name));
        return d.work().values().stream().flatMap(List::stream).map(Task::name).filter(n -> n.startsWith(kind + " ")).distinct().toList();
    }

    @Test
    void pgsql_user_plans_the_named_role_only() {
        assertTrue(planned("pg_user", "role", "pg_user", null, USERS).containsAll(List.of("role test", "role other", "role old", "role dbuser_dba")));
        assertEquals(List.of("role test"), planned("pg_user", "role", "pg_user", "test", USERS));
        assertEquals(List.of("role old"), planned("pg_user", "role", "pg_user", "old", USERS), "dropping one user drops no other");
    }

    @Test
    void pgsql_db_plans_the_named_database_only_and_drops_or_recreates_no_other() {
        assertEquals(List.of("database app", "database test", "database legacy"), planned("pg_db", "database", "pg_db", null, DBS));
        assertEquals(List.of("database app"), planned("pg_db", "database", "pg_db", "app", DBS));
    }
}
