package dev.pig.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.diag.PigException;

class SandboxHostsTest {
    static final Path FIXTURES = Path.of(System.getProperty("pig.root", "../"), "src-test-fixtures", "sandbox");

    @TempDir
    Path tmp;

    List<SandboxHost> hostsOf(String yaml) throws IOException {
        Path p = tmp.resolve("pigsty.yml");
        Files.writeString(p, yaml);
        return SandboxHosts.fromInventory(p);
    }

    @Test
    void the_sandbox_example_names_hosts_by_pg_cluster_and_seq_and_lists_the_admin_node_once() {
        assertEquals(List.of(
                new SandboxHost("pg-meta-1", "10.10.10.10"),
                new SandboxHost("pg-test-1", "10.10.10.11"),
                new SandboxHost("pg-test-2", "10.10.10.12"),
                new SandboxHost("pg-test-3", "10.10.10.13")),
                SandboxHosts.fromInventory(FIXTURES.resolve("../../inventory-examples/sandbox.yml").normalize()));
    }

    @Test
    void the_trixie_example_boots_two_debian_13_nodes_beside_the_four_of_the_sandbox() {
        assertEquals(List.of(
                new SandboxHost("pg-trixie-1", "10.10.10.21", "trixie"),
                new SandboxHost("pg-trixie-2", "10.10.10.22", "trixie")),
                SandboxHosts.fromInventory(FIXTURES.resolve("../../inventory-examples/sandbox-trixie.yml").normalize()));
    }

    @Test
    void a_node_runs_debian_12_unless_its_sandbox_release_says_otherwise() throws IOException {
        assertEquals(List.of("bookworm", "bookworm", "bookworm", "bookworm"),
                SandboxHosts.fromInventory(FIXTURES.resolve("../../inventory-examples/sandbox.yml").normalize()).stream()
                        .map(SandboxHost::release).toList());
        assertEquals("bookworm", new SandboxHost("a", "10.10.10.20").release());
    }

    @Test
    void sandbox_release_is_read_for_all_a_group_or_one_host_the_narrowest_winning() throws IOException {
        assertEquals(List.of(
                new SandboxHost("10-10-10-20", "10.10.10.20", "trixie"),
                new SandboxHost("pg-a-1", "10.10.10.21", "bookworm"),
                new SandboxHost("pg-a-2", "10.10.10.22", "trixie"),
                new SandboxHost("pg-b-1", "10.10.10.23", "trixie")), hostsOf("""
                all:
                  children:
                    etcd: { hosts: { 10.10.10.20: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-a:
                      hosts:
                        10.10.10.21: { pg_seq: 1, pg_role: primary }
                        10.10.10.22: { pg_seq: 2, pg_role: replica, sandbox_release: trixie }
                      vars: { pg_cluster: pg-a, sandbox_release: bookworm, pg_version: 15 }
                    pg-b:
                      hosts: { 10.10.10.23: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-b, pg_version: 17 }
                  vars: { sandbox_release: trixie }
                """));
    }

    @Test
    void a_release_pig_has_no_image_for_is_refused_with_its_line() {
        dev.pig.core.diag.InvalidInputException e = assertThrows(dev.pig.core.diag.InvalidInputException.class, () -> hostsOf("""
                all:
                  children:
                    etcd: { hosts: { 10.10.10.20: { etcd_seq: 1, sandbox_release: bullseye } }, vars: { etcd_cluster: etcd } }
                """));
        String text = e.diagnostics().render();
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("sandbox_release") && text.contains("bullseye")
                && text.contains("line 3"), text);
    }

    @Test
    void nodename_wins_over_the_pg_cluster_name() throws IOException {
        assertEquals(List.of(new SandboxHost("meta", "10.10.10.10")), hostsOf("""
                all:
                  children:
                    infra: { hosts: { 10.10.10.10: { nodename: meta, infra_seq: 1 } } }
                    etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-meta:
                      hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-meta }
                """));
    }

    @Test
    void ansible_host_is_the_address_when_set() throws IOException {
        assertEquals(List.of(new SandboxHost("pg-test-1", "10.10.10.11")), hostsOf("""
                all:
                  children:
                    etcd: { hosts: { node-a: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                    pg-test:
                      hosts: { node-a: { ansible_host: 10.10.10.11, pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-test }
                """));
    }

    @Test
    void a_host_outside_any_pg_cluster_is_named_by_its_address() throws IOException {
        assertEquals(List.of(new SandboxHost("10-10-10-20", "10.10.10.20")), hostsOf("""
                all:
                  children:
                    etcd: { hosts: { 10.10.10.20: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                """));
    }

    @Test
    void an_inventory_without_hosts_is_invalid_input() throws IOException {
        PigException e = assertThrows(PigException.class, () -> hostsOf("all: { vars: { admin_ip: 10.10.10.10 } }\n"));
        assertEquals(PigException.Kind.INVALID_INPUT, e.kind());
    }

    @Test
    void a_missing_inventory_says_how_to_pass_one() {
        PigException e = assertThrows(PigException.class,
                () -> SandboxHosts.fromInventory(tmp.resolve("nope.yml")));
        assertEquals(PigException.Kind.USAGE, e.kind());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("-i FILE"), e.getMessage());
    }
}
