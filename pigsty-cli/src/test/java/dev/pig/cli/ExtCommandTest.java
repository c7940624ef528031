package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExtCommandTest {

    @Test
    void list_shows_the_package_and_where_it_is_available() {
        PigRunner.Result r = PigRunner.run("ext", "list");
        assertEquals(0, r.code(), r.toString());
        String line = r.out().lines().filter(l -> l.startsWith("pgvector ")).findFirst().orElseThrow();
        assertTrue(line.matches("pgvector\\s+postgresql-\\$v-pgvector\\s+-\\s+yes\\s+yes\\s+vector"), line);
        assertTrue(r.out().lines().findFirst().orElseThrow().contains("bookworm/15"), r.out());
    }

    @Test
    void resolve_prints_the_packages_and_fails_naming_what_has_none() {
        PigRunner.Result r = PigRunner.run("ext", "resolve", "postgis", "pg_cron", "timescaledb", "--os", "bookworm", "--pg", "15");
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.out().contains("postgresql-15-postgis-3  (Debian archive)  for postgis"), r.toString());
        assertTrue(r.out().contains("postgresql-15-cron  (Debian archive)  for pg_cron; CREATE EXTENSION pg_cron"), r.toString());
        assertTrue(r.err().contains("Error: timescaledb has no package for PostgreSQL 15 on Debian 12 (bookworm)"), r.toString());
        assertEquals(0, PigRunner.run("ext", "resolve", "vector", "--os", "trixie", "--pg", "17").code());
    }

    @Test
    void resolve_refuses_a_release_it_has_no_data_for() {
        PigRunner.Result r = PigRunner.run("ext", "resolve", "postgis", "--os", "jammy", "--pg", "16");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("bookworm, trixie"), r.toString());
    }
}
