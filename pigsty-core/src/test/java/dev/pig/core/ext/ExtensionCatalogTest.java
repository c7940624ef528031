package dev.pig.core.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.pig.core.os.OsReleases;

class ExtensionCatalogTest {
    private final ExtensionCatalog catalog = ExtensionCatalog.builtIn();

    private static List<String> packages(Resolution r) {
        return r.packages().stream().map(p -> p.name() + " (" + p.source().name().toLowerCase() + ")").toList();
    }

    private static List<String> missing(Resolution r) {
        return r.missing().stream().map(Resolution.Missing::name).toList();
    }

    @Nested
    class DebianTwelveWithPostgresFifteen {
        @Test
        void resolves_pigstys_names_to_the_archives_packages() {
            Resolution r = catalog.resolve(List.of("postgis", "pg_cron", "pg_partman", "pgaudit", "hypopg", "pg_repack",
                    "orafce", "pglogical", "wal2json"), "bookworm", 15);
            assertEquals(List.of("postgresql-15-postgis-3 (debian)", "postgresql-15-cron (debian)", "postgresql-15-partman (debian)",
                    "postgresql-15-pgaudit (debian)", "postgresql-15-hypopg (debian)", "postgresql-15-repack (debian)",
                    "postgresql-15-orafce (debian)", "postgresql-15-pglogical (debian)", "postgresql-15-wal2json (debian)"), packages(r));
            assertTrue(r.complete());
        }

        @Test
        void pgvector_comes_from_pgdg_since_the_archive_has_none() {
            Resolution r = catalog.resolve(List.of("pgvector", "vector"), "bookworm", 15);
            assertEquals(List.of("postgresql-15-pgvector (pgdg)"), packages(r));
            assertEquals(List.of("pgvector", "vector"), r.packages().get(0).names(), "both names, one package");
            assertEquals(List.of("vector"), r.packages().get(0).provides());
        }

        @Test
        void timescaledb_is_missing_with_where_it_is_packaged() {
            Resolution r = catalog.resolve(List.of("postgis", "timescaledb"), "bookworm", 15);
            assertEquals(List.of("timescaledb"), missing(r));
            String reason = r.missing().get(0).reason();
            assertTrue(reason.contains("PostgreSQL 15") && reason.contains("Debian 12 (bookworm)") && reason.contains("Timescale"), reason);
        }
    }

    @Nested
    class DebianThirteenWithPostgresSeventeen {
        @Test
        void the_archive_has_pgvector_age_h3_squeeze_hint_plan_and_timescaledb() {
            Resolution r = catalog.resolve(List.of("vector", "age", "h3", "pg_squeeze", "pg_hint_plan", "timescaledb"), "trixie", 17);
            assertEquals(List.of("postgresql-17-pgvector (debian)", "postgresql-17-age (debian)", "postgresql-17-h3 (debian)",
                    "postgresql-17-squeeze (debian)", "postgresql-17-pg-hint-plan (debian)", "postgresql-17-timescaledb (debian)"),
                    packages(r));
        }

        @Test
        void another_postgres_version_needs_pgdg_and_timescaledb_is_then_missing() {
            Resolution r = catalog.resolve(List.of("postgis", "timescaledb"), "trixie", 16);
            assertEquals(List.of("postgresql-16-postgis-3 (pgdg)"), packages(r));
            assertEquals(List.of("timescaledb"), missing(r));
            assertTrue(r.missing().get(0).reason().contains("for PostgreSQL 17 only"), r.missing().get(0).reason());
        }
    }

    @Test
    void contrib_extensions_need_no_package() {
        Resolution r = catalog.resolve(List.of("pg_stat_statements", "uuid-ossp", "pgcrypto"), "bookworm", 15);
        assertEquals(List.of(), r.packages());
        assertEquals(List.of("pg_stat_statements", "uuid-ossp", "pgcrypto"), r.builtIn());
    }

    @Test
    void a_pigsty_package_group_and_an_unknown_name_are_missing_with_a_reason() {
        Resolution r = catalog.resolve(List.of("pg18-main", "postgsi"), "bookworm", 15);
        assertEquals(List.of("pg18-main", "postgsi"), missing(r));
        assertTrue(r.missing().get(0).reason().contains("package groups"), r.missing().get(0).reason());
        assertTrue(r.missing().get(1).reason().contains("did you mean 'postgis'?"), r.missing().get(1).reason());
    }

    @Test
    void an_extension_only_pigsty_packages_is_missing_everywhere() {
        Resolution r = catalog.resolve(List.of("citus"), "trixie", 17);
        assertEquals(List.of("citus"), missing(r));
        assertTrue(r.missing().get(0).reason().contains("Citus"), r.missing().get(0).reason());
    }

    @Test
    void an_item_may_name_several_extensions_separated_by_commas() {
        Resolution r = catalog.resolve(List.of("pgaudit, set_user", "credcheck"), "trixie", 17);
        assertEquals(List.of("postgresql-17-pgaudit (debian)", "postgresql-17-set-user (debian)", "postgresql-17-credcheck (debian)"),
                packages(r));
    }

    @Test
    void an_os_release_pig_has_no_data_for_is_missing_with_the_ones_it_has() {
        Resolution r = catalog.resolve(List.of("postgis"), "noble", 16);
        assertTrue(r.missing().get(0).reason().contains("bookworm and trixie"), r.missing().get(0).reason());
    }

    @Test
    void names_are_found_by_alias_in_any_case() {
        assertEquals("pgvector", catalog.find("VECTOR").orElseThrow().name());
        assertEquals("postgis", catalog.find("postgis_topology").orElseThrow().name());
        assertTrue(catalog.knows("pg17-gis"));
        assertFalse(catalog.knows("no_such_thing"));
    }

    @Test
    void a_malformed_entry_is_refused_with_its_line() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExtensionCatalog.parse("""
                extensions:
                  - { name: y, pkg: postgresql-$v-y, debian: [bookworm] }
                  - { name: x }
                """, OsReleases.builtIn()));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void every_package_named_in_the_catalog_follows_the_versioned_pattern() {
        for (Extension e : catalog.all()) {
            e.pkg().ifPresent(p -> assertTrue(p.contains("$v"), e.name() + ": " + p));
        }
        assertTrue(catalog.all().size() > 120, "catalog size " + catalog.all().size());
    }
}
