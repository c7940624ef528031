package dev.pig.sandbox.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class AptSourcesTest {

    @Test
    void deb822_sources_give_the_mirror_and_the_security_archive() {
        AptSources s = AptSources.parse("""
                Types: deb
                # http://snapshot.debian.org/archive/debian/20250520T000000Z
                URIs: http://mirror.example/debian/
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb
                URIs: http://mirror.example/debian-security
                Suites: bookworm-security
                Components: main
                """);
        assertEquals(new AptSources("http://mirror.example/debian", Optional.of("http://mirror.example/debian-security")), s);
    }

    @Test
    void one_line_sources_with_options_are_read() {
        AptSources s = AptSources.parse("""
                # the archive
                deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://ftp.example/debian bookworm main
                deb http://security.example/debian-security bookworm-security main
                """);
        assertEquals(new AptSources("http://ftp.example/debian", Optional.of("http://security.example/debian-security")), s);
    }

    @Test
    void source_disabled_and_non_http_entries_are_ignored() {
        AptSources s = AptSources.parse("""
                deb-src http://src.example/debian bookworm main
                deb file:/srv/repo bookworm main

                Types: deb-src
                URIs: http://src2.example/debian
                Suites: bookworm

                Types: deb
                URIs: http://off.example/debian
                Suites: bookworm
                Enabled: no

                Types: deb
                URIs: http://on.example/debian
                Suites: bookworm
                """);
        assertEquals(new AptSources("http://on.example/debian", Optional.empty()), s);
    }

    @Test
    void without_sources_the_mirror_is_deb_debian_org() {
        assertEquals(new AptSources("http://deb.debian.org/debian", Optional.empty()), AptSources.parse(""));
    }

    @Test
    void a_node_gets_main_updates_and_security_of_its_suite() {
        AptSources s = new AptSources("http://m/debian", Optional.of("http://m/debian-security"));
        assertEquals("""
                deb http://m/debian bookworm main
                deb http://m/debian bookworm-updates main
                deb http://m/debian-security bookworm-security main
                """, s.sourcesList("bookworm"));
    }
}
