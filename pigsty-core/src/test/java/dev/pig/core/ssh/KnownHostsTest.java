package dev.pig.core.ssh;

import dev.pig.core.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownHostsTest {

    private final List<KnownHosts.Entry> entries = read();

    private static List<KnownHosts.Entry> read() {
        try {
            return KnownHosts.read(Fixtures.path("ssh/known_hosts"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private KnownHosts.Entry line(int n) {
        return entries.stream().filter(e -> e.line() == n).findFirst().orElseThrow();
    }

    @Test
    void skips_comments_and_marker_lines_but_keeps_line_numbers() {
        assertEquals(List.of(2, 3, 4, 6, 7), entries.stream().map(KnownHosts.Entry::line).toList());
        assertEquals("ssh-ed25519", line(2).keyType());
    }

    @Test
    void matches_any_name_of_a_comma_separated_list() {
        assertTrue(line(2).appliesTo("10.10.10.11"));
        assertTrue(line(2).appliesTo("pg-meta"));
        assertFalse(line(2).appliesTo("10.10.10.1"));
    }

    @Test
    void needs_brackets_and_port_for_a_non_default_port() {
        assertTrue(line(3).appliesTo(KnownHosts.hostToken("10.10.10.12", 2222)));
        assertFalse(line(3).appliesTo(KnownHosts.hostToken("10.10.10.12", 22)));
    }

    @Test
    void matches_a_hashed_host_name() {
        assertTrue(line(4).appliesTo("10.10.10.10"));
        assertFalse(line(4).appliesTo("10.10.10.13"));
    }

    @Test
    void honours_wildcards_and_negations() {
        assertTrue(line(6).appliesTo("10.10.10.25"));
        assertTrue(line(7).appliesTo("10.10.10.21"));
        assertFalse(line(7).appliesTo("10.10.10.20"));
    }

    @Test
    void prints_fingerprints_like_ssh_keygen() {
        String fp = KnownHosts.fingerprint(Fixtures.read("ssh/key.b64").strip());
        assertTrue(fp.startsWith("SHA256:") && !fp.endsWith("="), fp);
    }
}
