package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code pig inventory validate} says about NODE parameters pig honours only in part. */
class NodeValidationTest {

    @Test
    void package_sources_pig_cannot_write_are_a_warning_with_their_line(@TempDir Path dir) throws Exception {
        Path inv = dir.resolve("pigsty.yml");
        Files.writeString(inv, """
                all:
                  hosts: { 10.10.10.11: {} }
                  vars:
                    admin_ip: 10.10.10.10
                    haproxy_admin_password: Zq8vLr2TnW4xKb6M   # not Pigsty's default, which is a warning of its own
                    node_repo_modules: node,pgsql
                """);
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", inv.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("is valid") && r.out().contains("1 warning(s)"), r.toString());
        assertTrue(r.err().contains("Warning: node_repo_modules has 'pgsql', for which pig has no package source of its own"), r.err());
        assertTrue(r.err().contains("line 6"), r.err());
    }

    @Test
    void a_broken_repo_upstream_entry_stops_validation(@TempDir Path dir) throws Exception {
        Path inv = dir.resolve("pigsty.yml");
        Files.writeString(inv, """
                all:
                  hosts: { 10.10.10.11: {} }
                  vars:
                    node_repo_modules: node
                    repo_upstream: [ { name: base, module: node } ]
                """);
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains("Error: repo_upstream entry 1 (base) has no baseurl.default"), r.err());
    }

    @Test
    void a_nodename_that_is_no_host_name_is_refused_with_its_line(@TempDir Path dir) throws Exception {
        Path inv = dir.resolve("pigsty.yml");
        Files.writeString(inv, """
                all:
                  hosts:
                    10.10.10.11: { nodename: "db 1; reboot" }
                  vars:
                    admin_ip: 10.10.10.10
                """);
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains("Error: the nodename of 10.10.10.11 is not a host name"), r.err());
        assertTrue(r.err().contains("line 3"), r.err());
    }
}
