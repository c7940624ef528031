package dev.pig.sandbox.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HostParsersTest {

    @Test
    void mount_points_are_read_in_order_with_octal_escapes_decoded() {
        assertEquals(List.of("/", "/var/lib/pig/sandbox/nodes/10.10.10.11/merged", "/mnt/with space"),
                HostParsers.mountPoints("""
                        /dev/vda / ext4 rw,relatime 0 0
                        overlay /var/lib/pig/sandbox/nodes/10.10.10.11/merged overlay rw,lowerdir=/x 0 0
                        /dev/vdb /mnt/with\\040space ext4 rw 0 0
                        """));
    }

    @Test
    void the_cgroup_hierarchies_systemd_uses_are_the_v2_mounts_and_the_v1_one_named_systemd() {
        String hybrid = """
                tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
                cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
                cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
                cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
                """;
        assertEquals(List.of("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"), HostParsers.systemdCgroupMounts(hybrid));
        assertEquals(List.of("/sys/fs/cgroup"), HostParsers.systemdCgroupMounts(
                "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n"));
        assertEquals(List.of(), HostParsers.systemdCgroupMounts("cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"));
    }

    @Test
    void a_link_is_up_when_bit_zero_of_its_sysfs_flags_is_set() {
        assertEquals(true, HostParsers.linkUp("0x1003\n")); // UP, BROADCAST, MULTICAST
        assertEquals(false, HostParsers.linkUp("0x1002\n")); // BROADCAST, MULTICAST, down
        assertEquals(false, HostParsers.linkUp(""));
        assertEquals(false, HostParsers.linkUp("garbage"));
    }

    @Test
    void known_hosts_loses_only_the_named_hosts() {
        String kh = """
                10.10.10.11 ssh-ed25519 AAAA1
                other.example,10.10.10.12 ssh-ed25519 AAAA2
                [10.10.10.13]:2222 ssh-ed25519 AAAA3
                10.10.10.111 ssh-ed25519 AAAA4
                github.com ssh-ed25519 AAAA5
                """;
        assertEquals("""
                10.10.10.111 ssh-ed25519 AAAA4
                github.com ssh-ed25519 AAAA5
                """, HostParsers.knownHostsWithout(kh, Set.of("10.10.10.11", "10.10.10.12", "10.10.10.13")));
    }

    @Test
    void shell_quoting_keeps_each_argument_one_word() {
        assertEquals("sh -c 'exit 3'", HostParsers.shellQuote(List.of("sh", "-c", "exit 3")));
        assertEquals("echo 'it'\\''s' '' '$HOME'", HostParsers.shellQuote(List.of("echo", "it's", "", "$HOME")));
        assertEquals("systemctl is-system-running", HostParsers.shellQuote(List.of("systemctl", "is-system-running")));
    }

    @Test
    void uid_is_the_effective_one() {
        assertEquals(0, HostParsers.uid("Name:\tjava\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n"));
        assertNotEquals(0, HostParsers.uid("Uid:\t0\t1000\t1000\t1000\n"));
    }

    @Test
    void tail_keeps_the_last_lines() {
        assertEquals("c\nd", HostParsers.tail("a\nb\nc\nd\n", 2));
        assertEquals("a", HostParsers.tail("a", 5));
    }
}
