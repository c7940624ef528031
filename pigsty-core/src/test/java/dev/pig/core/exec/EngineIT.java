package dev.pig.core.exec;

import dev.pig.core.fact.FactGatherer;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.PlanJson;
import dev.pig.core.plan.PlanRenderer;
import dev.pig.core.model.Secret;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.HostKeyPolicy;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.TestSshd;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.SymlinkTask;
import dev.pig.core.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plan and apply over real SSH against a temp root on this machine. */
class EngineIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final Secret PASSWORD = new Secret("DBUser.Meta");

    @TempDir
    Path dir;
    private TestSshd sshd;
    private Path root;
    private Connections pool;
    private final Masker masker = Masker.of(PASSWORD);
    private final List<StepReport> progress = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sshd = TestSshd.start(dir.resolve("sshd"));
        root = Files.createDirectories(dir.resolve("root"));
        pool = new Connections(sshd.options(HostKeyPolicy.ACCEPT_NEW));
    }

    @AfterEach
    void stop() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private List<Task> tasks() {
        String conf = root + "/etc/pigsty/pg.conf";
        return List.of(
                new DirectoryTask(root + "/etc/pigsty", "0750", "root", "root", "node_dir"),
                new FileTask(conf, ("listen_addresses = '*'\npassword = " + PASSWORD.reveal() + "\n").getBytes(),
                        "0640", "root", "root", "pg_conf", false),
                new SymlinkTask(root + "/pg", root + "/etc/pigsty", "node_dir"),
                CommandTask.unless("mark initialised", "test -f " + root + "/initialised",
                        "touch " + root + "/initialised", "pg_init"));
    }

    private Plan plan(Map<SshTarget, List<Task>> work) {
        return new Planner(pool, new FactGatherer(), T, 20).plan(work, masker);
    }

    private ApplyResult apply(Plan p, Map<String, SshTarget> targets, boolean fresh) {
        return new Executor(pool, new FactGatherer(), 20, T, masker, progress::add).apply(p, targets, fresh);
    }

    @Test
    void converges_then_plans_no_changes_then_restores_a_hand_edited_file() throws Exception {
        SshTarget host = sshd.target();
        Map<SshTarget, List<Task>> work = Map.of(host, tasks());
        Plan first = plan(work);
        String shown = PlanRenderer.text(first, false);
        assertTrue(shown.contains("Plan: 3 to add, 1 to change, 0 to destroy."), shown);
        assertFalse(shown.contains(PASSWORD.reveal()), "the password is masked in the diff");
        assertTrue(shown.contains("+password = ***"), shown);

        ApplyResult r = apply(first, Map.of(host.host(), host), true);
        assertTrue(r.ok(), r.failures().toString());
        assertEquals(4, r.changed().get("127.0.0.1"));
        assertEquals("[1/4] directory " + root + "/etc/pigsty: 1 changed, 0 ok, 0 failed", progress.get(0).line());
        Path conf = root.resolve("etc/pigsty/pg.conf");
        assertTrue(Files.readString(conf).contains("password = DBUser.Meta"));
        assertTrue(Files.isSymbolicLink(root.resolve("pg")));

        int before = pool.roundTrips().get("127.0.0.1");
        Plan again = plan(work);
        assertEquals("No changes. The hosts match the inventory.", PlanRenderer.summary(again));
        int perHost = pool.roundTrips().get("127.0.0.1") - before;
        System.out.println("round trips per host for a no-op plan: " + perHost);
        assertEquals(1, perHost);

        Files.writeString(conf, "listen_addresses = 'localhost'\n");
        Plan repair = plan(work);
        assertEquals("Plan: 0 to add, 1 to change, 0 to destroy.", PlanRenderer.summary(repair));
        assertTrue(PlanRenderer.text(repair, false).contains("-listen_addresses = 'localhost'"));
        assertTrue(apply(repair, Map.of(host.host(), host), true).ok());
        assertTrue(Files.readString(conf).contains("listen_addresses = '*'"));
        assertTrue(PlanRenderer.summary(plan(work)).startsWith("No changes."));
    }

    @Test
    void a_dead_host_fails_in_one_line_while_the_other_converges() throws Exception {
        SshTarget good = sshd.target();
        SshTarget dead = new SshTarget("localhost", TestSshd.freePort(), "root", List.of(sshd.clientKey()), true, false);
        Map<SshTarget, List<Task>> work = new LinkedHashMap<>();
        work.put(good, tasks());
        work.put(dead, tasks());
        Plan p = plan(work);
        assertEquals("connection refused (port " + dead.port() + ")", p.hosts().get(1).error());
        ApplyResult r = apply(p, Map.of(good.host(), good, dead.host(), dead), true);
        assertEquals(1, r.failures().size());
        assertEquals("localhost: plan: connection refused (port " + dead.port() + ")", r.failures().get(0).toString());
        assertEquals(4, r.changed().get("127.0.0.1"));
    }

    @Test
    void refuses_a_saved_plan_when_the_host_changed_since() throws Exception {
        SshTarget host = sshd.target();
        Plan saved = PlanJson.read(PlanJson.write(plan(Map.of(host, tasks()))));
        Files.createDirectories(root.resolve("etc/pigsty"));
        dev.pig.core.diag.PigException e = org.junit.jupiter.api.Assertions.assertThrows(dev.pig.core.diag.PigException.class,
                () -> apply(saved, Map.of(host.host(), host), true));
        assertTrue(e.getMessage().contains("\n  127.0.0.1: the host changed since the plan was made\n"), e.getMessage());
        assertFalse(Files.exists(root.resolve("etc/pigsty/pg.conf")));
    }

    @Test
    void stops_a_failing_host_at_its_step_and_reports_stderr() throws Exception {
        SshTarget host = sshd.target();
        List<Task> tasks = List.of(
                CommandTask.unless("break", "false", "echo 'no space left, password DBUser.Meta' >&2; exit 3", "pg_init"),
                new DirectoryTask(root + "/never", "0755", "root", "root", "node_dir"));
        ApplyResult r = apply(plan(Map.of(host, tasks)), Map.of(host.host(), host), false);
        assertEquals(List.of(new HostFailure("127.0.0.1", "command break",
                "`echo 'no space left, password ***' >&2; exit 3` exited 3: no space left, password ***")), r.failures());
        assertFalse(Files.exists(root.resolve("never")));
    }
}
