package dev.pig.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.Step;
import dev.pig.core.pki.Certificate;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.ConnectOptions;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;

/** The executor against scripted hosts: progress, stale plans, and what a failed unit start reports. */
class ExecutorTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final Masker MASKER = Masker.of(new Secret("S3cretXyz"));

    /** A host that answers facts with a hostname, fails commands containing "fail", and has a journal. */
    static final class Scripted implements Transport {
        final SshTarget target;
        volatile String hostname = "node";
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());
        final Map<String, byte[]> uploaded = new java.util.concurrent.ConcurrentHashMap<>();
        /** What a command named "request" prints: a certificate request. */
        volatile byte[] request = new byte[0];
        /** A command named "wait" waits ({@link #waitMillis} at most) until this opens; it fails unless it opened. */
        volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
        volatile long waitMillis = 10_000;
        /** Opened by a command named "open". */
        volatile java.util.concurrent.CountDownLatch opens = new java.util.concurrent.CountDownLatch(1);
        /** Every host's commands as they start and end, in the order they did, in one list. */
        volatile List<String> log = Collections.synchronizedList(new ArrayList<>());

        Scripted(String host) {
            this.target = SshTarget.of(host);
        }

        @Override
        public SshTarget target() {
            return target;
        }

        @Override
        public CommandResult run(String command, byte[] stdin, Duration timeout) {
            if (command.equals("sh -s")) {
                String out = FactParsers.SECTION + "hostname\n" + hostname + "\n" + FactParsers.END + "\n";
                return new CommandResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
            }
            ran.add(command);
            log.add(target.host() + ": " + command);
            try {
                return answer(command);
            } finally {
                log.add(target.host() + ": " + command + " done");
            }
        }

        private CommandResult answer(String command) {
            if (command.equals("wait")) {
                try {
                    boolean opened = gate.await(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                    return new CommandResult(opened ? 0 : 1, new byte[0], (opened ? "" : "the gate stayed shut").getBytes(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new CommandResult(1, new byte[0], new byte[0]);
                }
            }
            if (command.equals("open")) {
                opens.countDown();
                return new CommandResult(0, new byte[0], new byte[0]);
            }
            if (command.startsWith("journalctl ")) {
                StringBuilder j = new StringBuilder();
                for (int i = 1; i <= 25; i++) {
                    j.append("etcd[42]: line ").append(i).append(i == 25 ? " --user root:S3cretXyz" : "").append('\n');
                }
                return new CommandResult(0, j.toString().getBytes(StandardCharsets.UTF_8), new byte[0]);
            }
            if (command.equals("request")) {
                return new CommandResult(0, request, new byte[0]);
            }
            if (command.contains("fail")) {
                return new CommandResult(1, new byte[0],
                        "Job for etcd.service failed because the control process exited with error code.\nSee \"journalctl -xeu etcd.service\" for details.\n"
                                .getBytes(StandardCharsets.UTF_8));
            }
            return new CommandResult(0, new byte[0], new byte[0]);
        }

        @Override
        public void upload(byte[] content, String path, String mode, String owner, String group, Duration timeout) {
            ran.add("upload " + path);
            uploaded.put(path, content);
        }

        @Override
        public int commandCount() {
            return ran.size();
        }

        @Override
        public void close() {
        }
    }

    // the executor reaches hosts from several threads at once
    private final Map<String, Scripted> hosts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Connections pool = new Connections(ConnectOptions.defaults(),
            (t, o) -> hosts.computeIfAbsent(t.host(), Scripted::new));
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final ProgressListener listener = new ProgressListener() {
        @Override
        public void stepStarted(int index, int total, String task, int n) {
            events.add(StepReport.startLine(index, total, task, n));
        }

        @Override
        public void stepDone(StepReport r) {
            events.add(r.line());
        }
    };

    private static Change.Act exec(String task, String command) {
        return new Change.Act(task, "tag", Action.RUN, task, List.of(Step.Exec.of(command, MASKER)), "");
    }

    /** The fingerprint of the facts the scripted hosts answer. */
    private static String nodeFingerprint() {
        return new FactGatherer().parse("x", FactRequest.empty(), FactParsers.SECTION + "hostname\nnode\n" + FactParsers.END + "\n")
                .fingerprint();
    }

    /** .11 and .12, whose "wait" on .11 waits for an "open" on .12, logging into one list; returns .11. */
    private Scripted gatedPair() {
        Scripted h11 = hosts.computeIfAbsent("10.10.10.11", Scripted::new);
        Scripted h12 = hosts.computeIfAbsent("10.10.10.12", Scripted::new);
        h11.gate = h12.opens;
        h12.log = h11.log;
        return h11;
    }

    private Plan planOf(String fingerprintOf11, List<Change> changes11, List<Change> changes12) {
        String fp = nodeFingerprint();
        return Plan.of(List.of(
                new HostPlan("10.10.10.11", fingerprintOf11 == null ? fp : fingerprintOf11, FactRequest.empty(), changes11, null),
                new HostPlan("10.10.10.12", fp, FactRequest.empty(), changes12, null)));
    }

    private ApplyResult apply(Plan p, boolean fresh) {
        Map<String, SshTarget> targets = Map.of("10.10.10.11", SshTarget.of("10.10.10.11"), "10.10.10.12", SshTarget.of("10.10.10.12"));
        return new Executor(pool, new FactGatherer(), 4, T, MASKER, listener).apply(p, targets, fresh);
    }

    @Test
    void a_certificate_is_the_host_s_request_signed_by_the_ca_with_pig_s_names_and_written_back(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path key = dir.resolve("server.key");
        assertEquals(0, new ProcessBuilder("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                key.toString()).inheritIO().start().waitFor());
        Process req = new ProcessBuilder("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=pg-test-1",
                "-addext", "subjectAltName=DNS:evil.example").start();
        byte[] csr = req.getInputStream().readAllBytes();
        assertEquals(0, req.waitFor());
        hosts.computeIfAbsent("10.10.10.11", Scripted::new).request = csr;
        CertificateAuthority ca = CertificateAuthority.at(java.nio.file.Path.of(System.getenv("PIG_CA_DIR"))).ensure("pigsty-ca", false);
        Change.Act issue = new Change.Act("certificate /pg/cert/server.crt", "pg_cert", Action.CREATE, "issued", List.of(new Step.Sign(
                "request", List.of("DNS:pg-test", "IP:10.10.10.11"), 30, "/pg/cert/server.crt", "0644", "postgres", "postgres")), "");
        Map<String, SshTarget> targets = Map.of("10.10.10.11", SshTarget.of("10.10.10.11"), "10.10.10.12", SshTarget.of("10.10.10.12"));
        ApplyResult r = new Executor(pool, new FactGatherer(), 4, T, MASKER, listener, ca).apply(planOf(null, List.of(issue), List.of()),
                targets, false);
        assertTrue(r.ok(), r.failures().toString());
        assertEquals(List.of("request", "upload /pg/cert/server.crt"), hosts.get("10.10.10.11").ran);
        Certificate c = Certificate.parse(hosts.get("10.10.10.11").uploaded.get("/pg/cert/server.crt")).orElseThrow();
        assertTrue(c.issuedBy(ca.certificate().x509()));
        // the names are pig's: what the request asked for is not copied
        assertEquals(List.of("DNS:pg-test", "IP:10.10.10.11"), c.names());
        assertEquals("pg-test-1", c.subjectName());
        assertEquals(-1, c.x509().getBasicConstraints(), "never a CA");

        // without a CA the step fails and says so
        ApplyResult none = new Executor(pool, new FactGatherer(), 4, T, MASKER, listener).apply(planOf(null, List.of(issue), List.of()),
                targets, false);
        assertTrue(none.failures().get(0).detail().contains("this run has no CA"), none.failures().toString());
    }

    @Test
    void says_when_a_step_starts_on_how_many_hosts_and_then_how_it_went() {
        ApplyResult r = apply(planOf(null, List.of(exec("command a", "true"), exec("command b", "true")),
                List.of(exec("command a", "true"), new Change.NoOp("command b", "tag", "done already"))), false);
        assertTrue(r.ok(), r.failures().toString());
        assertEquals(List.of(
                "[1/2] command a: running on 2 host(s)...",
                "[1/2] command a: 2 changed, 0 ok, 0 failed",
                "[2/2] command b: running on 1 host(s)...",
                "[2/2] command b: 1 changed, 1 ok, 0 failed"), events);
    }

    @Test
    void a_failed_unit_restart_reports_the_last_twenty_journal_lines_masked() {
        Transport t = pool.get(SshTarget.of("10.10.10.11"));
        ApplyResult r = apply(planOf(null, List.of(exec("unit etcd.service", "false fail; systemctl restart etcd.service")), List.of()), false);
        String detail = r.failures().get(0).detail();
        assertTrue(detail.startsWith("`false fail; systemctl restart etcd.service` exited 1: Job for etcd.service failed"), detail);
        assertTrue(((Scripted) t).ran.contains("journalctl -u etcd.service -n 20 --no-pager"), ((Scripted) t).ran.toString());
        List<String> lines = detail.lines().toList();
        assertEquals("    journalctl -u etcd.service (last 20 lines):", lines.get(2));
        assertEquals("      etcd[42]: line 6", lines.get(3));
        assertEquals("      etcd[42]: line 25 --user root:***", lines.get(lines.size() - 1));
        assertEquals(2 + 1 + 20, lines.size());
    }

    @Test
    void a_failing_command_that_starts_no_unit_fetches_no_journal() {
        ApplyResult r = apply(planOf(null, List.of(exec("command x", "fail now")), List.of()), false);
        assertEquals("`fail now` exited 1: Job for etcd.service failed because the control process exited with error code.\n"
                + "See \"journalctl -xeu etcd.service\" for details.", r.failures().get(0).detail());
        assertTrue(hosts.get("10.10.10.11").ran.stream().noneMatch(c -> c.startsWith("journalctl")));
    }

    @Test
    void one_stale_host_refuses_the_whole_saved_plan_and_nothing_runs() {
        Plan p = planOf("0ld", List.of(exec("command a", "touch /a")), List.of(exec("command a", "touch /a")));
        PigException e = assertThrows(PigException.class, () -> apply(p, true));
        assertEquals(PigException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("the saved plan is stale on 1 of 2 host(s) with changes; nothing was applied:\n"
                + "  10.10.10.11: the host changed since the plan was made\n"), e.getMessage());
        hosts.values().forEach(h -> assertEquals(List.of(), h.ran, h.target.host() + " ran commands"));
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    void a_fresh_saved_plan_is_applied() {
        ApplyResult r = apply(planOf(null, List.of(exec("command a", "touch /a")), List.of(exec("command a", "touch /a"))), true);
        assertTrue(r.ok(), r.failures().toString());
        assertEquals(Optional.of(List.of("touch /a")), Optional.of(hosts.get("10.10.10.12").ran));
    }

    @Test
    void a_host_that_fails_is_reported_with_every_change_it_was_left_without() {
        ApplyResult r = apply(planOf(null, List.of(exec("command a", "true"), exec("command b", "fail b"), exec("command c", "true")),
                List.of(exec("command a", "true"), exec("command b", "true"), exec("command c", "true"))), false);
        assertEquals(Map.of("10.10.10.11", List.of("command b", "command c")), r.pending());
        assertEquals(List.of("true", "true", "true"), hosts.get("10.10.10.12").ran, "the other host converges");
    }

    @Test
    void a_local_step_runs_on_a_host_while_another_is_in_an_earlier_step_and_the_next_shared_step_waits_for_both() {
        // .11 waits in step 1 until .12 has run its local step 2: with a barrier after each step it never would
        Scripted h11 = gatedPair();
        String fp = nodeFingerprint();
        Plan p = Plan.of(List.of(
                new HostPlan("10.10.10.11", fp, FactRequest.empty(), List.of(exec("command infra", "wait"), exec("command launch", "true")),
                        List.of("25.04 infra", "50.04 launch"), List.of(), null),
                // a shared stage where .12 has nothing to do does not hold it (as PGSQL's pause for etcd, a no-op unless etcd moves to https)
                new HostPlan("10.10.10.12", fp, FactRequest.empty(), List.of(new Change.NoOp("command pause", "tag", "nothing to pause"),
                        exec("packages postgresql", "open"), exec("command launch", "true")),
                        List.of("29.90 pause", "50.02 install", "50.04 launch"), List.of("50.02 install"), null)));
        ApplyResult r = apply(p, false);
        assertTrue(r.ok(), r.failures().toString());
        List<String> log = List.copyOf(h11.log);
        assertTrue(log.indexOf("10.10.10.12: open") < log.indexOf("10.10.10.11: wait done"), "the local step ran ahead: " + log);
        assertTrue(log.indexOf("10.10.10.11: wait done") < log.indexOf("10.10.10.12: true"), "the shared step waited for both: " + log);
        assertTrue(log.indexOf("10.10.10.12: open done") < log.indexOf("10.10.10.11: true"), "the shared step waited for both: " + log);
        // both steps start at once; which ends first is up to the threads
        assertEquals(List.of(
                "[1/4] command infra: running on 1 host(s)...",
                "[3/4] packages postgresql: running on 1 host(s)..."), events.subList(0, 2));
        assertEquals(Set.of(
                "[3/4] packages postgresql: 1 changed, 0 ok, 0 failed",
                "[1/4] command infra: 1 changed, 0 ok, 0 failed"), Set.copyOf(events.subList(2, 4)));
        assertEquals(List.of(
                "[4/4] command launch: running on 2 host(s)...",
                "[4/4] command launch: 2 changed, 0 ok, 0 failed"), events.subList(4, events.size()));
    }

    @Test
    void a_step_local_on_one_host_only_waits_for_every_host() {
        // .11 waits half a second in step 1 for .12's step 2, which is not local on .11: it must not come
        Scripted h11 = gatedPair();
        h11.waitMillis = 500;
        String fp = nodeFingerprint();
        Plan p = Plan.of(List.of(
                new HostPlan("10.10.10.11", fp, FactRequest.empty(), List.of(exec("command a", "wait"), exec("command b", "true")),
                        List.of("1 a", "2 b"), List.of(), null),
                new HostPlan("10.10.10.12", fp, FactRequest.empty(), List.of(exec("command b", "open")),
                        List.of("2 b"), List.of("2 b"), null)));
        ApplyResult r = apply(p, false);
        assertEquals(List.of("10.10.10.11"), r.failures().stream().map(HostFailure::host).toList());
        assertTrue(r.failures().get(0).detail().contains("the gate stayed shut"), r.failures().toString());
        List<String> log = List.copyOf(h11.log);
        assertTrue(log.indexOf("10.10.10.11: wait done") < log.indexOf("10.10.10.12: open"), log.toString());
        assertEquals(Map.of("10.10.10.11", List.of("command a", "command b")), r.pending());
    }

    @Test
    void a_tracked_apply_cut_short_while_hosts_are_in_different_steps_names_the_earliest_and_what_each_host_had_left() {
        Plan p = planOf(null, List.of(exec("command a", "true"), exec("command b", "true"), exec("command c", "true")),
                List.of(exec("command a", "true"), new Change.NoOp("command b", "tag", "done"), exec("command c", "true")));
        ApplyTracker t = new ApplyTracker(listener);
        t.stepStarted(1, 3, "command a", 2);
        t.hostDone(1, "10.10.10.12");
        t.hostDone(2, "10.10.10.12");
        t.stepStarted(3, 3, "command c", 1);
        t.hostDone(3, "10.10.10.12");
        assertEquals(List.of("pig was stopped during step [1/3] command a; not applied, or cut short:",
                "  10.10.10.11: command a, command b, command c"), t.notApplied(p), "10.10.10.12 had nothing left");
    }

    @Test
    void a_tracked_apply_cut_short_names_per_host_what_was_left_from_the_running_step_on() {
        Plan p = planOf(null, List.of(exec("command a", "true"), exec("command b", "true"), exec("command c", "true")),
                List.of(exec("command a", "true"), new Change.NoOp("command b", "tag", "done"), exec("command c", "true")));
        ApplyTracker t = new ApplyTracker(listener);
        assertEquals(List.of(), t.notApplied(p), "nothing started, nothing to say");
        t.stepStarted(1, 3, "command a", 2);
        t.hostDone(1, "10.10.10.11");
        t.hostDone(1, "10.10.10.12");
        t.stepDone(new StepReport(1, 3, "command a", 2, 0, 0));
        t.stepStarted(2, 3, "command b", 1);
        assertEquals(List.of("pig was stopped during step [2/3] command b; not applied, or cut short:",
                "  10.10.10.11: command b, command c", "  10.10.10.12: command c"), t.notApplied(p));
        t.hostDone(2, "10.10.10.11");
        t.stepDone(new StepReport(2, 3, "command b", 1, 1, 0));
        t.hostFailed(new HostFailure("10.10.10.12", "command b", "gone"));
        assertEquals(List.of("pig was stopped after step [2/3] command b; not applied:", "  10.10.10.11: command c"), t.notApplied(p),
                "a host that failed has its own report");
        assertEquals(4, events.size(), "the start and done of each step are passed on: " + events);
    }
}
