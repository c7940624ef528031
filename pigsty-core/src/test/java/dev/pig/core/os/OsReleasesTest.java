package dev.pig.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.fact.OsInfo;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;

class OsReleasesTest {
    private final OsReleases releases = OsReleases.builtIn();

    private static OsInfo os(String id, String version, String codename) {
        return new OsInfo(id, List.of(), version, codename, "", "x86_64", "6.1", true);
    }

    @Test
    void bookworm_packages_postgresql_15_and_trixie_postgresql_17() {
        assertEquals(List.of("bookworm", "trixie"), releases.codenames());
        assertEquals(new OsRelease("bookworm", 12, 15), releases.find("bookworm").orElseThrow());
        assertEquals(new OsRelease("trixie", 13, 17), releases.find("trixie").orElseThrow());
        assertEquals("Debian 13 (trixie)", releases.find("trixie").orElseThrow().title());
    }

    @Test
    void sandbox_release_offers_exactly_the_releases_pig_has_data_for() {
        Param p = ParamCatalog.builtIn().find("sandbox_release").orElseThrow();
        assertEquals(releases.codenames(), p.values());
        assertTrue(releases.find(String.valueOf(p.defaultValue())).isPresent(), "default " + p.defaultValue());
    }

    @Test
    void a_host_is_matched_by_its_codename_else_by_its_debian_version() {
        assertEquals("trixie", releases.of(os("debian", "13", "trixie")).orElseThrow().codename());
        assertEquals("bookworm", releases.of(os("debian", "12", "")).orElseThrow().codename());
        assertEquals("trixie", releases.of(os("debian", "13.2", "")).orElseThrow().codename());
    }

    @Test
    void a_host_pig_has_no_release_data_for_has_none() {
        assertEquals(Optional.empty(), releases.of(os("debian", "11", "bullseye")));
        assertEquals(Optional.empty(), releases.of(os("ubuntu", "24.04", "noble")), "Ubuntu's codenames are not Debian's");
        assertEquals(Optional.empty(), releases.find("noble"));
    }

    @Test
    void a_key_the_loader_does_not_know_is_refused_with_its_line() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OsReleases.parse("""
                releases:
                  bookworm: { debian: 12, pg: 15 }
                  trixie: { debian: 13, pg: 17, patroni: 4 }
                """));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("unknown key 'patroni'"), e.getMessage());
    }

    @Test
    void a_release_without_its_postgresql_version_is_refused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OsReleases.parse("""
                releases:
                  trixie: { debian: 13 }
                """));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'pg' must be an integer"), e.getMessage());
    }

    @Test
    void a_file_without_releases_is_refused() {
        assertThrows(IllegalStateException.class, () -> OsReleases.parse("trixie: { debian: 13, pg: 17 }\n"));
        assertThrows(IllegalStateException.class, () -> OsReleases.parse("releases: {}\n"));
    }
}
