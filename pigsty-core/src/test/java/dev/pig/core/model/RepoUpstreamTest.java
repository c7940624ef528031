package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.Diagnostic;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.InventoryLoader;
import dev.pig.core.param.ParamCatalog;

/** {@code node_repo_modules} and {@code repo_upstream}: what pig can honour is silent, the rest is said at validation. */
class RepoUpstreamTest {

    private static Diagnostics check(String yaml) {
        Diagnostics d = new Diagnostics();
        InventoryLoader.parse("t.yml", yaml, Map.of(), d).ifPresent(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d));
        return d;
    }

    private static List<String> summaries(List<Diagnostic> ds) {
        return ds.stream().map(Diagnostic::summary).toList();
    }

    @Test
    void the_default_local_is_not_warned_about() {
        Diagnostics d = check("all: { hosts: { 10.0.0.1: {} } }\n");
        assertEquals(List.of(), summaries(d.all()));
    }

    @Test
    void the_distributions_archive_needs_no_repo_upstream() {
        Diagnostics d = check("all: { hosts: { 10.0.0.1: {} }, vars: { node_repo_modules: node } }\n");
        assertEquals(List.of(), summaries(d.all()));
    }

    @Test
    void local_without_a_named_repo_is_a_warning_with_the_line_and_an_example() {
        Diagnostics d = check("""
                all:
                  hosts: { 10.0.0.1: {} }
                  vars:
                    node_repo_modules: local,node
                """);
        assertFalse(d.hasErrors(), d.render());
        Diagnostic w = d.warnings().get(0);
        assertEquals("node_repo_modules has 'local', the infra node's repo, which pig does not build: pig writes no package sources for it",
                w.summary());
        assertEquals(4, w.source().line());
        assertTrue(w.hint().contains("module: local, baseurl: { default: 'http://${admin_ip}/pigsty ./' }"), w.hint());
        assertEquals(1, d.warnings().size(), d.render());
    }

    @Test
    void a_module_pig_has_no_source_for_is_a_warning_naming_it() {
        Diagnostics d = check("all: { hosts: { 10.0.0.1: {}, 10.0.0.2: {} }, vars: { node_repo_modules: 'node,pgsql' } }\n");
        // one warning for the value both hosts share
        assertEquals(List.of("node_repo_modules has 'pgsql', for which pig has no package source of its own: pig writes no package sources for it"),
                summaries(d.warnings()));
    }

    @Test
    void a_module_repo_upstream_has_no_entry_for_is_a_warning() {
        Diagnostics d = check("""
                all:
                  hosts: { 10.0.0.1: {} }
                  vars:
                    admin_ip: 10.0.0.1
                    node_repo_modules: local,node
                    repo_upstream:
                      - { name: pigsty-local, module: local, baseurl: { default: 'http://${admin_ip}/pigsty ./' } }
                """);
        assertEquals(List.of("node_repo_modules has 'node' but repo_upstream has no entry with module 'node': pig writes no package sources for it"),
                summaries(d.warnings()));
    }

    @Test
    void pigstys_distro_placeholders_are_left_for_the_host_facts_without_a_warning() {
        Diagnostics d = check("""
                all:
                  hosts: { 10.0.0.1: {} }
                  vars:
                    node_repo_modules: node
                    repo_upstream:
                      - { name: base, module: node, releases: [12], baseurl: { default: 'http://deb.debian.org/${distro_name}/ ${distro_codename} main' } }
                """);
        assertEquals(List.of(), summaries(d.all()));
    }

    @Test
    void a_malformed_entry_is_an_error_at_its_line() {
        Diagnostics d = check("""
                all:
                  hosts: { 10.0.0.1: {} }
                  vars:
                    node_repo_modules: node
                    repo_upstream:
                      - { name: base, baseurl: { default: 'http://deb.debian.org/debian/ bookworm main' } }
                      - { name: updates, module: node, baseurl: 'http://deb.debian.org/debian/ bookworm-updates main' }
                      - just-a-string
                """);
        List<Diagnostic> errors = d.errors();
        assertEquals(List.of("repo_upstream entry 1 (base) has no module", "repo_upstream entry 2 (updates) has no baseurl.default",
                "repo_upstream entry 3 is not a mapping"), summaries(errors));
        assertEquals(List.of(6, 7, 8), errors.stream().map(e -> e.source().line()).toList());
    }

    @Test
    void entries_match_release_and_architecture_and_pick_the_regions_url() {
        List<RepoUpstream> us = RepoUpstream.of(List.of(
                Map.of("name", "base", "module", "node", "releases", List.of(11L, 12L), "arch", List.of("x86_64"),
                        "baseurl", Map.of("default", "http://a/ bookworm main", "china", "http://b/ bookworm main")),
                Map.of("name", "no-url", "module", "node", "baseurl", Map.of("china", "http://c/"))));
        assertEquals(1, us.size());
        RepoUpstream u = us.get(0);
        assertTrue(u.matches("12", "x86_64"));
        assertFalse(u.matches("13", "x86_64"));
        assertFalse(u.matches("12", "aarch64"));
        assertEquals("http://b/ bookworm main", u.url("china"));
        assertEquals("http://a/ bookworm main", u.url("europe"));
        assertEquals(List.of("local", "node"), RepoUpstream.modules(" local , node,,local"));
    }
}
