package dev.pig.modules.node;

import static dev.pig.modules.PlanningFixture.act;
import static dev.pig.modules.PlanningFixture.reason;
import static dev.pig.modules.PlanningFixture.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.modules.Golden;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * {@code node_tune}: the tune file of every profile (golden copies in
 * {@code src-test-fixtures/node/golden/tune/}), and the check that the running kernel took each
 * key. How the kernel is brought to the file key by key is in the cases of
 * {@code src-test-fixtures/node/cases/}.
 */
class KernelTunePlanningTest {
    static final String HOST = "10.10.10.11";
    static final String TUNE = "/etc/sysctl.d/60-pig-tune.conf";

    @TempDir
    Path dir;

    /** One host with these vars, planned on the fresh Debian 12 host (24 GiB of RAM). */
    private static HostPlan plan(String vars) {
        return PlanningFixture.inline(new NodeModule(n -> List.of(), NodeFixtures::random),
                "all:\n  hosts: { " + HOST + ": {} }\n  vars: " + vars + "\n").host(HOST, RecordedFacts.freshDebian12()).plan(HOST);
    }

    @TestFactory
    Stream<DynamicTest> each_profile_renders_its_golden_tune_file() {
        Map<String, String> cases = Map.of(
                "oltp-hugepages-off", "{ node_tune: oltp }",
                "olap-hugepage-ratio", "{ node_tune: olap, node_hugepage_ratio: 0.25 }",
                "crit-hugepage-count", "{ node_tune: crit, node_hugepage_count: 512, node_overcommit_ratio: 80 }",
                "tiny", "{ node_tune: tiny }",
                "none-hugepage-count", "{ node_tune: none, node_hugepage_count: 64, node_sysctl_params: { vm.max_map_count: 262144 } }");
        return cases.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> Golden.check("node/golden/tune/" + e.getKey() + ".conf", uploaded(plan(e.getValue()), TUNE))));
    }

    @Test
    void huge_pages_by_ratio_follow_the_hosts_memory_and_an_explicit_count_wins() {
        // 24683620 kB * 0.25 / 2048 kB
        assertTrue(uploaded(plan("{ node_tune: olap, node_hugepage_ratio: 0.25 }"), TUNE).contains("vm.nr_hugepages = 3013\n"));
        assertTrue(uploaded(plan("{ node_hugepage_ratio: 0.25, node_hugepage_count: 512 }"), TUNE).contains("vm.nr_hugepages = 512\n"));
        assertTrue(uploaded(plan("{ node_tune: oltp }"), TUNE).contains("vm.nr_hugepages = 0\n"));
        assertTrue(!uploaded(plan("{ node_tune: none }"), TUNE).contains("vm.nr_hugepages"));
    }

    @Test
    void transparent_huge_pages_are_turned_off_by_every_profile_but_none() {
        Change.Act thp = act(plan("{ node_tune: tiny }"), "transparent huge pages");
        assertEquals("transparent huge pages: madvise -> never", thp.summary());
        assertEquals("echo never > /sys/kernel/mm/transparent_hugepage/enabled", thp.steps().get(0).shown());
        assertEquals("# transparent huge pages: managed by pig (node_tune: crit); systemd-tmpfiles writes it at boot\n"
                + "w /sys/kernel/mm/transparent_hugepage/enabled - - - - never\n", uploaded(plan("{ node_tune: crit }"), "/etc/tmpfiles.d/pig-thp.conf"));
        HostPlan none = plan("{ node_tune: none }");
        assertTrue(none.changes().stream().noneMatch(c -> c instanceof Change.Act a && a.task().equals("transparent huge pages")),
                none.changes().toString());
        assertEquals("node_tune is none: transparent huge pages are left as they are", reason(none, "transparent huge pages"));
        assertEquals("transparent huge pages are off (/sys/kernel/mm/transparent_hugepage/enabled: always madvise [never])",
                reason(NodeFixtures.on(HOST, NodeFixtures.recorded("debian12-converged.out")).plan(HOST), "transparent huge pages"));
    }

    private record Run(int exit, String err) {
    }

    private Run setAndReadBack(Map<String, String> set) throws Exception {
        Path fake = dir.resolve("sysctl");
        // a kernel that takes nothing: the read-back sees the values it had
        Files.writeString(fake, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = new ProcessBuilder("sh", "-c", "PATH=" + dir + ":$PATH; " + SysctlApply.command(set)).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), err);
    }

    /** Files.readString trusts the size procfs reports and reads a byte; a stream reads to the end. */
    private static String proc(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void a_value_the_kernel_did_not_take_fails_the_step_with_both_values() throws Exception {
        Path swappiness = Path.of("/proc/sys/vm/swappiness");
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        Assumptions.assumeTrue(Files.isReadable(swappiness) && Files.isReadable(range), "no /proc/sys here");
        String now = proc(swappiness);
        String ports = proc(range).replaceAll("\\s+", " ");
        assertEquals(new Run(0, ""), setAndReadBack(Map.of("vm.swappiness", now, "net.ipv4.ip_local_port_range", ports)));
        String other = now.equals("7") ? "8" : "7";
        Run r = setAndReadBack(Map.of("vm.swappiness", other));
        assertEquals(1, r.exit());
        assertEquals("vm.swappiness: the kernel has " + now + ", not " + other + "\n", r.err());
    }
}
