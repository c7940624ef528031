package dev.pig.core.fact;

import dev.pig.core.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each parser on output captured from a Debian 12 host and on hand-written EL9 output. */
class FactParsersTest {

    private final Map<String, String> debian = FactParsers.sections(Fixtures.read("facts/debian12-captured.out"));
    private final Map<String, String> el9 = FactParsers.sections(Fixtures.read("facts/el9-handwritten.out"));

    @Test
    void splits_output_into_sections_in_order() {
        assertEquals(List.of("os", "hostname", "cpu", "memory", "disks", "uptime", "packages", "units", "files",
                "users", "groups", "sysctl"), List.copyOf(debian.keySet()));
    }

    @Test
    void reads_os_release_and_uname() {
        OsInfo os = FactParsers.os(debian.get("os"));
        assertEquals("debian", os.id());
        assertEquals("12", os.version());
        assertEquals("bookworm", os.codename());
        assertEquals("x86_64", os.arch());
        assertTrue(os.isDebianLike());
        assertFalse(os.isRhelLike());
    }

    @Test
    void recognises_el_derivatives_by_id_like() {
        OsInfo os = FactParsers.os(el9.get("os"));
        assertEquals("rocky", os.id());
        assertEquals("9", os.majorVersion());
        assertEquals("aarch64", os.arch());
        assertTrue(os.isRhelLike());
        assertTrue(os.systemd());
    }

    @Test
    void reads_hostname_cpus_memory_and_uptime() {
        assertEquals("vm", FactParsers.hostname(debian.get("hostname")));
        assertEquals(8, FactParsers.cpus(el9.get("cpu")));
        assertEquals(new MemoryInfo(16131132, 14000000, 2097148), FactParsers.memory(el9.get("memory")));
        assertEquals(86400.12, FactParsers.uptime(el9.get("uptime")), 0.001);
    }

    @Test
    void reads_df_skipping_the_header() {
        List<Disk> disks = FactParsers.disks(el9.get("disks"));
        assertEquals(2, disks.size());
        assertEquals(new Disk("/dev/vdb1", 524032000, 1200000, 522832000, "/data"), disks.get(1));
    }

    @Test
    void reads_installed_and_absent_packages_from_dpkg() {
        Map<String, PackageState> p = FactParsers.packages(debian.get("packages"));
        assertEquals(new PackageState("openssh-server", true, "1:9.2p1-2+deb12u10"), p.get("openssh-server"));
        assertEquals(new PackageState("postgresql-16", false, ""), p.get("postgresql-16"));
        assertFalse(p.get("no-such-package-pig").installed());
    }

    @Test
    void treats_removed_packages_with_leftover_config_as_absent() {
        Map<String, PackageState> p = FactParsers.packages("etcd\trc \t3.5.9-1\n");
        assertFalse(p.get("etcd").installed());
    }

    @Test
    void reads_packages_from_rpm() {
        Map<String, PackageState> p = FactParsers.packages(el9.get("packages"));
        assertEquals("16.4-1PGDG.rhel9", p.get("postgresql16-server").version());
        assertFalse(p.get("pgbouncer").installed());
    }

    @Test
    void reads_unit_states_including_not_found_units() {
        Map<String, UnitState> u = FactParsers.units(el9.get("units"));
        UnitState patroni = u.get("patroni.service");
        assertTrue(patroni.exists() && patroni.active() && patroni.enabled());
        assertEquals(17823411, patroni.activeSinceMono());
        assertEquals(1311, patroni.mainPid());
        assertFalse(u.get("pgbouncer.service").exists());
        UnitState haproxy = u.get("haproxy.service");
        assertFalse(haproxy.active());
        assertFalse(haproxy.enabled());
    }

    @Test
    void reports_units_as_not_found_when_systemd_is_not_running() {
        Map<String, UnitState> u = FactParsers.units(debian.get("units"));
        assertEquals(UnitState.notFound("ssh.service"), u.get("ssh.service"));
    }

    @Test
    void reads_files_directories_links_and_missing_paths() {
        Map<String, FileState> f = FactParsers.files(el9.get("files"));
        FileState conf = f.get("/etc/patroni/patroni.yml");
        assertEquals(FileState.Type.FILE, conf.type());
        assertEquals("0600", conf.mode());
        assertEquals("postgres", conf.owner());
        assertEquals("f57d0a837344eeda533e4183d784d42fe0e9650bbad42c37f9d56a0df31bff0b", conf.sha256());
        assertEquals("scope: pg-test\nname: pg-test-1\n", new String(conf.content(), StandardCharsets.UTF_8));
        assertEquals(FileState.Type.DIRECTORY, f.get("/pg/data").type());
        assertEquals("0700", f.get("/pg/data").mode());
        assertEquals("/data/postgres/pg-test-16", f.get("/pg").link());
        assertEquals(FileState.missing("/etc/pgbouncer/pgbouncer.ini"), f.get("/etc/pgbouncer/pgbouncer.ini"));
    }

    @Test
    void reads_captured_file_facts() {
        Map<String, FileState> f = FactParsers.files(debian.get("files"));
        assertEquals(FileState.Type.OTHER, f.get("/dev/null").type());
        assertEquals(FileState.Type.SYMLINK, f.get("/etc/os-release").type());
        assertEquals("../usr/lib/os-release", f.get("/etc/os-release").link());
        assertFalse(f.get("/etc/pigsty/missing.yml").exists());
        assertNull(f.get("/etc/ssh").content());
    }

    @Test
    void reads_users_and_groups_from_getent() {
        Map<String, UserEntry> u = FactParsers.users(el9.get("users"));
        assertEquals(new UserEntry("postgres", 26, 26, "PostgreSQL Server", "/var/lib/pgsql", "/bin/bash"), u.get("postgres"));
        Map<String, GroupEntry> g = FactParsers.groups(el9.get("groups"));
        assertEquals(List.of("dba", "replicator"), g.get("postgres").members());
        assertEquals(List.of(), FactParsers.groups(debian.get("groups")).get("root").members());
    }

    @Test
    void reads_sysctls_with_spaces_and_leaves_out_missing_keys() {
        Map<String, String> s = FactParsers.sysctls(debian.get("sysctl"));
        assertEquals("4096 131072 33554432", s.get("net.ipv4.tcp_rmem"));
        assertEquals("60", s.get("vm.swappiness"));
        assertFalse(s.containsKey("kernel.no_such_key"));
    }

    @Test
    void matches_check_exit_codes_to_the_requested_commands_in_order() {
        Map<String, Integer> c = FactParsers.checks(List.of("test -f /pg/data/PG_VERSION", "true"), "1\n0\n");
        assertEquals(Map.of("test -f /pg/data/PG_VERSION", 1, "true", 0), c);
    }
}
