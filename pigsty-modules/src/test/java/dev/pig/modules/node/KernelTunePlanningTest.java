package dev.pig.modules.node;

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

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.ModuleContext;

/**
 * {@code node_tune}: the tune file of every profile (golden copies in
 * {@code src-test-fixtures/node/golden/tune/}), and the running kernel brought to it key by key.
 */
class KernelTunePlanningTest {
    static final String HOST = "10.10.10.11";
    static final String TUNE = "/etc/sysctl.d/60-pig-tune.conf";
    static final String FRESH = NodeFixtures.read("node/facts/debian12-fresh.out");
    static final String CONVERGED = NodeFixtures.read("node/facts/debian12-converged.out");
    private final NodeFixtures f = new NodeFixtures();

    @TempDir
    Path dir;

    /** One host with these vars, planned on the fresh Debian 12 host (24 GiB of RAM). */
    private HostPlan plan(String vars) throws IOException {
        Path inv = dir.resolve("tune.yml");
        Files.writeString(inv, "all:\n  hosts: { " + HOST + ": {} }\n  vars: " + vars + "\n");
        var model = ModelLoader.load(inv, List.of()).model();
        var ctx = new ModuleContext(model, Templates.builtIn());
        NodeModule module = new NodeModule(n -> List.of(), NodeFixtures::random);
        List<Task> tasks = List.copyOf(module.tasks(ctx, model.node(HOST).orElseThrow()));
        return Planner.planFromFacts(new FactGatherer(module.factSections(ctx)).parse(HOST, Planner.request(tasks), FRESH), tasks, Masker.none());
    }

    private static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + task + " in " + p.changes()));
    }

    private static String upload(HostPlan p, String path) {
        return p.actions().stream().flatMap(a -> a.steps().stream()).filter(s -> s instanceof Step.Upload u && u.path().equals(path))
                .map(s -> new String(((Step.Upload) s).content(), StandardCharsets.UTF_8)).findFirst()
                .orElseThrow(() -> new AssertionError("no upload of " + path));
    }

    @TestFactory
    Stream<DynamicTest> each_profile_renders_its_golden_tune_file() {
        Map<String, String> cases = Map.of(
                "oltp-hugepages-off", "{ node_tune: oltp }",
                "olap-hugepage-ratio", "{ node_tune: olap, node_hugepage_ratio: 0.25 }",
                "crit-hugepage-count", "{ node_tune: crit, node_hugepage_count: 512, node_overcommit_ratio: 80 }",
                "tiny", "{ node_tune: tiny }",
                "none-hugepage-count", "{ node_tune: none, node_hugepage_count: 64, node_sysctl_params: { vm.max_map_count: 262144 } }");
        return cases.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String rendered = upload(plan(e.getValue()), TUNE);
            String golden = "node/golden/tune/" + e.getKey() + ".conf";
            if (NodeFixtures.update()) {
                NodeFixtures.write(golden, rendered);
            }
            assertTrue(Files.exists(NodeFixtures.path(golden)), "no golden copy " + golden + ": run with -Dpig.fixtures.update=true");
            assertEquals(NodeFixtures.read(golden), rendered, golden);
        }));
    }

    @Test
    void huge_pages_by_ratio_follow_the_hosts_memory_and_an_explicit_count_wins() throws IOException {
        // 24683620 kB * 0.25 / 2048 kB
        assertTrue(upload(plan("{ node_tune: olap, node_hugepage_ratio: 0.25 }"), TUNE).contains("vm.nr_hugepages = 3013\n"));
        assertTrue(upload(plan("{ node_hugepage_ratio: 0.25, node_hugepage_count: 512 }"), TUNE).contains("vm.nr_hugepages = 512\n"));
        assertTrue(upload(plan("{ node_tune: oltp }"), TUNE).contains("vm.nr_hugepages = 0\n"));
        assertTrue(!upload(plan("{ node_tune: none }"), TUNE).contains("vm.nr_hugepages"));
    }

    @Test
    void only_the_keys_the_running_kernel_lacks_are_set_and_each_is_read_back() throws IOException {
        Change.Act a = (Change.Act) change(plan("{ node_tune: tiny }"), "sysctl " + TUNE);
        assertEquals(Action.UPDATE, a.action());
        String cmd = ((Step.Exec) a.steps().get(0)).command();
        assertTrue(cmd.startsWith("sysctl -q -w fs.file-max=1048576 fs.aio-max-nr=1048576 fs.inotify.max_user_watches=524288 vm.swappiness=10 "), cmd);
        // fs.nr_open and vm.dirty_background_ratio have the profile's value already
        assertTrue(!cmd.contains("fs.nr_open") && !cmd.contains("vm.dirty_background_ratio"), cmd);
        assertTrue(a.summary().contains("vm.swappiness 60 -> 10"), a.summary());
    }

    @Test
    void a_setting_the_kernel_lost_is_set_again_though_the_file_is_unchanged() {
        // what a failed load after the upload leaves, or a hand-made sysctl -w
        String out = CONVERGED.replace("sysctl\tvm.swappiness\trw\t1\n", "sysctl\tvm.swappiness\trw\t60\n");
        assertTrue(!out.equals(CONVERGED));
        HostPlan p = f.planText(HOST, out);
        assertEquals(List.of("sysctl vm.swappiness 60 -> 1"), p.actions().stream().map(Change.Act::summary).toList());
    }

    @Test
    void huge_pages_turned_off_are_given_back_by_the_running_kernel() {
        String out = CONVERGED.replace("sysctl\tvm.nr_hugepages\trw\t0\n", "sysctl\tvm.nr_hugepages\trw\t1024\n");
        assertTrue(!out.equals(CONVERGED));
        assertEquals(List.of("sysctl vm.nr_hugepages 1024 -> 0"), f.planText(HOST, out).actions().stream().map(Change.Act::summary).toList());
    }

    @Test
    void a_read_only_key_is_left_as_it_is_and_named() {
        String out = CONVERGED.replace("sysctl\tvm.swappiness\trw\t1\n", "sysctl\tvm.swappiness\tro\t60\n");
        Change.NoOp n = (Change.NoOp) change(f.planText(HOST, out), "sysctl " + TUNE);
        assertEquals("the running kernel has 28 of the 29 settings of " + TUNE + "; read-only here, left as the kernel has them: vm.swappiness",
                n.reason());
    }

    @Test
    void transparent_huge_pages_are_turned_off_by_every_profile_but_none() throws IOException {
        Change.Act thp = (Change.Act) change(plan("{ node_tune: tiny }"), "transparent huge pages");
        assertEquals("transparent huge pages: madvise -> never", thp.summary());
        assertEquals("echo never > /sys/kernel/mm/transparent_hugepage/enabled", thp.steps().get(0).shown());
        assertEquals("# transparent huge pages: managed by pig (node_tune: crit); systemd-tmpfiles writes it at boot\n"
                + "w /sys/kernel/mm/transparent_hugepage/enabled - - - - never\n", upload(plan("{ node_tune: crit }"), "/etc/tmpfiles.d/pig-thp.conf"));
        HostPlan none = plan("{ node_tune: none }");
        assertTrue(none.changes().stream().noneMatch(c -> c instanceof Change.Act a && a.task().equals("transparent huge pages")),
                none.changes().toString());
        assertEquals("node_tune is none: transparent huge pages are left as they are",
                ((Change.NoOp) change(none, "transparent huge pages")).reason());
        assertEquals("transparent huge pages are off (/sys/kernel/mm/transparent_hugepage/enabled: always madvise [never])",
                ((Change.NoOp) change(f.planText(HOST, CONVERGED), "transparent huge pages")).reason());
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
