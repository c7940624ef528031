package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
}
