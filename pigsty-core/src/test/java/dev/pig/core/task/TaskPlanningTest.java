package dev.pig.core.task;

import dev.pig.core.Fixtures;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each resource planned against the recorded EL9 facts in {@code src-test-fixtures/facts/}. */
class TaskPlanningTest {
    private static final String CONF = "/etc/patroni/patroni.yml";

    private static HostPlan plan(Task... tasks) {
        List<Task> list = List.of(tasks);
        HostFacts facts = new FactGatherer().parse("10.10.10.11", Planner.request(list), Fixtures.read("facts/el9-handwritten.out"));
        return Planner.planFromFacts(facts, list, Masker.none());
    }

    private static Change one(Task t) {
        return plan(t).changes().get(0);
    }

    private static FileTask patroni(String fixture) {
        return new FileTask(CONF, Fixtures.read("plan/" + fixture).getBytes(StandardCharsets.UTF_8), "0600", "postgres",
                "postgres", "pg_conf", false);
    }

    private static UnitTask patroniUnit() {
        return new UnitTask("patroni.service", true, true, List.of(CONF), List.of(), "pg_launch");
    }

    @Test
    void is_noop_when_package_installed() {
        assertEquals(new Change.NoOp("package patroni", "pg_install", "package patroni is installed (3.2.2-1.el9)"),
                one(new PackageTask("patroni", null, "pg_install")));
    }

    @Test
    void installs_a_missing_package_with_dnf_on_el() {
        Change.Act a = assertInstanceOf(Change.Act.class, one(new PackageTask("pgbouncer", null, "pg_install")));
        assertEquals(Action.CREATE, a.action());
        assertEquals(List.of(new Step.Exec("dnf install -y -q pgbouncer", "dnf install -y -q pgbouncer")), a.steps());
    }

    @Test
    void apt_waits_for_another_apt_instead_of_failing_on_its_lock() {
        List<Task> tasks = List.of(new PackagesTask("node", List.of("chrony"), "node_pkg"), new PackageTask("jq", null, "node_pkg"));
        HostFacts debian = new FactGatherer().parse("10.10.10.11", Planner.request(tasks), Fixtures.read("facts/debian12-captured.out"));
        HostPlan p = Planner.planFromFacts(debian, tasks, Masker.none());
        for (Change.Act a : p.actions()) {
            String cmd = ((Step.Exec) a.steps().get(0)).command();
            assertEquals(cmd.split("apt-get (update -q|install) ", -1).length - 1, cmd.split("-o DPkg::Lock::Timeout=300", -1).length - 1,
                    "every apt-get of the step waits: " + cmd);
        }
        assertEquals(2, p.actions().size());
    }

    @Test
    void updates_a_package_whose_version_differs() {
        Change.Act a = assertInstanceOf(Change.Act.class, one(new PackageTask("postgresql16-server", "16.6", "pg_install")));
        assertEquals(Action.UPDATE, a.action());
        assertEquals("package postgresql16-server: 16.4-1PGDG.rhel9 -> 16.6", a.summary());
    }

    @Test
    void is_noop_when_file_hash_matches() {
        Change.NoOp n = assertInstanceOf(Change.NoOp.class, one(patroni("patroni-same.yml")));
        assertEquals("file /etc/patroni/patroni.yml has the same content (sha256 f57d0a837344…), mode and owner", n.reason());
    }

    @Test
    void uploads_a_changed_file_and_shows_the_diff() {
        Change.Act a = assertInstanceOf(Change.Act.class, one(patroni("patroni-new.yml")));
        assertEquals(Action.UPDATE, a.action());
        assertEquals(Fixtures.read("plan/patroni.diff"), a.diff());
        Step.Upload u = assertInstanceOf(Step.Upload.class, a.steps().get(0));
        assertEquals(List.of(CONF, "0600", "postgres", "postgres"), List.of(u.path(), u.mode(), u.owner(), u.group()));
    }

    @Test
    void fixes_only_the_mode_when_the_content_matches_by_writing_the_file_again_safely() {
        FileTask loose = new FileTask(CONF, Fixtures.read("plan/patroni-same.yml").getBytes(StandardCharsets.UTF_8),
                "0640", "postgres", "postgres", "pg_conf", false);
        Change.Act a = assertInstanceOf(Change.Act.class, one(loose));
        assertEquals("file /etc/patroni/patroni.yml: mode 0600 -> 0640", a.summary());
        Step.Upload u = assertInstanceOf(Step.Upload.class, a.steps().get(0));
        assertEquals(List.of(CONF, "0640", "postgres", "postgres"), List.of(u.path(), u.mode(), u.owner(), u.group()));
    }

    @Test
    void a_diff_past_a_screenful_is_summed_up_with_the_lines_added_and_removed() {
        String same = Fixtures.read("plan/patroni-same.yml");
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            keys.append("ssh-ed25519 AAAA").append(i).append(" admin@host-").append(i).append('\n');
        }
        String longer = same.replaceFirst("[^\n]*\n", "") + keys;
        Change.Act a = assertInstanceOf(Change.Act.class, one(new FileTask(CONF, longer.getBytes(StandardCharsets.UTF_8),
                "0600", "postgres", "postgres", "pg_conf", false)));
        assertEquals("(400 lines added, 1 removed: too long to show; a plan saved with -o holds the content)\n", a.diff());
        assertEquals(List.of(3L, 2L), java.util.Arrays.stream(FileTask.changedLines("a\nb\nb\nc\n", "c\nb\nx\ny\nz\n"))
                .boxed().toList(), "lines counted with repeats, order aside");
    }

    @Test
    void creates_a_missing_file() {
        Change.Act a = assertInstanceOf(Change.Act.class,
                one(FileTask.of("/etc/pgbouncer/pgbouncer.ini", "[databases]\n", "0600", "pgbouncer")));
        assertEquals(Action.CREATE, a.action());
        assertTrue(a.diff().startsWith("--- /dev/null\n+++ /etc/pgbouncer/pgbouncer.ini\n@@ -0,0 +1,1 @@\n+[databases]\n"), a.diff());
    }

    @Test
    void masks_secrets_in_diffs_and_commands() {
        HostFacts facts = new FactGatherer().parse("h", Planner.request(List.of(patroni("patroni-new.yml"))),
                Fixtures.read("facts/el9-handwritten.out"));
        Masker m = new Masker(List.of("0.0.0.0:8008"));
        Change.Act a = (Change.Act) Planner.planFromFacts(facts, List.of(patroni("patroni-new.yml")), m).changes().get(0);
        assertTrue(a.diff().contains("+  listen: ***"), a.diff());
    }

    @Test
    void restarts_unit_only_when_its_config_changes() {
        Change unchanged = plan(patroni("patroni-same.yml"), patroniUnit()).changes().get(1);
        assertInstanceOf(Change.NoOp.class, unchanged);
        Change.Act restart = assertInstanceOf(Change.Act.class, plan(patroni("patroni-new.yml"), patroniUnit()).changes().get(1));
        assertEquals("unit patroni.service: restart (/etc/patroni/patroni.yml changed)", restart.summary());
        assertEquals("systemctl restart patroni.service", ((Step.Exec) restart.steps().get(0)).command());
    }

    @Test
    void enables_and_starts_a_failed_disabled_unit() {
        Change.Act a = assertInstanceOf(Change.Act.class,
                one(new UnitTask("haproxy.service", true, true, List.of(), List.of(), "haproxy")));
        assertEquals("unit haproxy.service: enable, start (it had failed)", a.summary());
        assertTrue(a.steps().get(a.steps().size() - 1).shown().startsWith("systemctl reset-failed haproxy.service; systemctl start"));
    }

    @Test
    void enabling_a_unit_whose_file_changed_reloads_systemd_once() {
        // enable reloads systemd by itself: with a new unit file, its links go first, then the one reload
        String dropIn = "/etc/systemd/system/haproxy.service.d/pig.conf";
        HostPlan p = plan(new FileTask(dropIn, "[Service]\n".getBytes(StandardCharsets.UTF_8), "0644", "root", "root", "haproxy", false),
                new UnitTask("haproxy.service", true, true, List.of(dropIn), List.of(), "haproxy"));
        List<String> steps = ((Change.Act) p.changes().get(1)).steps().stream().map(Step::shown).toList();
        assertEquals("systemctl enable --no-reload haproxy.service && systemctl daemon-reload", steps.get(0));
        assertEquals(2, steps.size(), steps.toString());
        assertTrue(steps.stream().noneMatch(c -> c.equals("systemctl daemon-reload")), steps.toString());
        // no file of its own changed: enable alone, which reloads
        assertEquals("systemctl enable haproxy.service",
                ((Change.Act) one(new UnitTask("haproxy.service", true, true, List.of(), List.of(), "haproxy"))).steps().get(0).shown());
    }

    @Test
    void a_unit_a_second_task_configures_after_the_first_started_it_is_reloaded_not_started_again() {
        // two modules' files for one unit (NODE's node VIP and PGSQL's VIP in one keepalived):
        // the second file lands after the first task started the unit, which must read it
        String second = "/etc/haproxy/second.cfg";
        HostPlan p = plan(new UnitTask("haproxy.service", true, true, List.of(), List.of(), "haproxy"),
                new FileTask(second, "x\n".getBytes(StandardCharsets.UTF_8), "0644", "root", "root", "haproxy", false),
                new UnitTask("haproxy.service", true, true, List.of(), List.of(second), "haproxy"));
        assertEquals("unit haproxy.service: enable, start (it had failed)", ((Change.Act) p.changes().get(0)).summary());
        assertEquals("unit haproxy.service: reload (" + second + " changed)", ((Change.Act) p.changes().get(2)).summary());
        // nothing of its own changed: nothing to do once the first task started it
        HostPlan q = plan(new UnitTask("haproxy.service", true, true, List.of(), List.of(), "haproxy"),
                new UnitTask("haproxy.service", true, true, List.of(), List.of(), "haproxy"));
        assertInstanceOf(Change.NoOp.class, q.changes().get(1));
    }

    @Test
    void is_noop_when_directory_has_mode_and_owner() {
        assertInstanceOf(Change.NoOp.class, one(new DirectoryTask("/pg/data", "0700", "postgres", "postgres", "pg_dir")));
        Change.Act a = assertInstanceOf(Change.Act.class, one(new DirectoryTask("/pg/data", "0750", "postgres", "postgres", "pg_dir")));
        assertEquals("directory /pg/data: mode 0700 -> 0750", a.summary());
    }

    @Test
    void repoints_a_symlink_with_another_target() {
        assertInstanceOf(Change.NoOp.class, one(new SymlinkTask("/pg", "/data/postgres/pg-test-16", "pg_dir")));
        Change.Act a = assertInstanceOf(Change.Act.class, one(new SymlinkTask("/pg", "/data/postgres/pg-test-17", "pg_dir")));
        assertEquals(List.of(new Step.Link("/pg", "/data/postgres/pg-test-17")), a.steps());
    }

    @Test
    void creates_users_and_groups_only_when_missing() {
        assertInstanceOf(Change.NoOp.class, one(new UserTask("postgres", 26, "postgres", null, "/bin/bash", "node_user")));
        assertInstanceOf(Change.NoOp.class, one(new GroupTask("postgres", 26, "node_user")));
        Change.Act a = assertInstanceOf(Change.Act.class, one(new UserTask("postgres", null, null, null, "/bin/zsh", "node_user")));
        assertEquals("usermod -s /bin/zsh postgres", ((Step.Exec) a.steps().get(0)).command());
    }

    @Test
    void sets_a_sysctl_only_when_the_value_differs() {
        assertInstanceOf(Change.NoOp.class, one(new SysctlTask("net.ipv4.tcp_rmem", "4096  87380 6291456", "node_tune")));
        Change.Act a = assertInstanceOf(Change.Act.class, one(new SysctlTask("vm.overcommit_memory", "0", "node_tune")));
        assertEquals("sysctl vm.overcommit_memory: 2 -> 0", a.summary());
    }

    @Test
    void runs_a_guarded_command_only_when_its_fact_check_says_so() {
        Change n = one(CommandTask.unlessFacts("patronictl", b -> b.packages("patroni"), f -> f.pkg("patroni").installed(), "patroni is installed",
                "pip install patroni", "pg_install"));
        assertEquals("command patronictl: patroni is installed", ((Change.NoOp) n).reason());
    }
}
