package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan, apply, deploy and facts in-process, against {@link FakeHosts}: exit codes, summaries,
 * progress, saved plans and the checks made before any host is asked.
 */
class EngineCommandsTest {
    static final String INV = PigRunner.path("src-test-fixtures/cli/two-nodes.yml");
    static final String SKIPPED = PigRunner.path("src-test-fixtures/cli/skipped.yml");
    /** The node_exporter tasks only: a package, a file and a unit per host. */
    static final String[] EXPORTER = {"-i", INV, "-t", "node_exporter"};

    private final FakeHosts hosts = new FakeHosts();

    private PigRunner.Result pig(String verb, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = verb;
        System.arraycopy(args, 0, all, 1, args.length);
        return PigRunner.runWith(hosts, all);
    }

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    // ---- plan

    @Test
    void plan_exits_2_with_changes_under_detailed_exitcode_and_0_without() {
        PigRunner.Result detailed = pig("plan", with(EXPORTER, "--detailed-exitcode"));
        assertEquals(ExitCodes.CHANGES_PENDING, detailed.code(), detailed.toString());
        assertTrue(detailed.out().endsWith("Plan: 4 to add, 2 to change, 0 to destroy.\n"), detailed.out());
        assertEquals(ExitCodes.OK, pig("plan", EXPORTER).code());
        assertTrue(hosts.host("10.10.10.21").applied().isEmpty(), "plan changes nothing");
    }

    @Test
    void plan_exits_0_when_nothing_is_to_change() {
        PigRunner.Result r = pig("plan", with(EXPORTER, "-e", "node_exporter_enabled=false", "--detailed-exitcode"));
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertEquals("No changes. The hosts match the inventory.\n", r.out());
    }

    @Test
    void plan_exits_1_and_says_so_when_one_host_is_unreachable() {
        hosts.host("10.10.10.22").reachable = false;
        PigRunner.Result r = pig("plan", with(EXPORTER, "-e", "node_exporter_enabled=false", "--detailed-exitcode"));
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.out().contains("10.10.10.22: ! connection refused (port 22)"), r.out());
        assertTrue(r.out().endsWith("Incomplete plan: 1 of 2 host(s) could not be planned; the other 1 match the inventory.\n"), r.out());
        assertFalse(r.out().contains("No changes"), r.out());
    }

    @Test
    void plan_exits_69_and_claims_no_changes_when_no_host_is_reachable() {
        hosts.host("10.10.10.21").reachable = false;
        hosts.host("10.10.10.22").reachable = false;
        PigRunner.Result r = pig("plan", with(EXPORTER, "--detailed-exitcode"));
        assertEquals(ExitCodes.UNAVAILABLE, r.code(), r.toString());
        assertTrue(r.out().endsWith("Nothing planned: 2 of 2 host(s) could not be planned.\n"), r.out());
        assertFalse(r.out().contains("No changes"), r.out());
        assertTrue(r.err().contains("Error: no host could be reached; nothing was done."), r.err());
    }

    @Test
    void a_misspelt_tag_is_refused_with_the_tag_meant() {
        PigRunner.Result r = pig("plan", "-i", INV, "-t", "etcd_confg");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().startsWith("Error: -t etcd_confg is neither a tag nor a module pig knows\n  Did you mean 'etcd_config'?\n"), r.err());
        assertTrue(r.err().contains("    etcd: etcd_install, etcd_dir, etcd_config"), r.err());
        assertEquals(0, hosts.host("10.10.10.21").factRuns.get(), "no host is asked before the command line is right");
        PigRunner.Result module = pig("deploy", "-i", INV, "-t", "nodee", "-y");
        assertEquals(ExitCodes.USAGE, module.code(), module.toString());
        assertTrue(module.err().contains("Did you mean 'node'?"), module.err());
    }

    @Test
    void a_module_pig_does_not_deploy_is_refused_as_a_tag_and_every_module_of_pigsty_s_layout_is_planned() {
        PigRunner.Result tag = pig("plan", "-i", SKIPPED, "-t", "docker");
        assertEquals(ExitCodes.USAGE, tag.code(), tag.toString());
        assertTrue(tag.err().startsWith("Error: -t docker: pig does not deploy the DOCKER module"), tag.err());
        PigRunner.Result r = pig("plan", "-i", SKIPPED);
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.err().lines().noneMatch(l -> l.contains("is skipped")), r.err());
        for (String task : List.of("node", "infra", "etcd", "minio", "redis")) {
            assertTrue(r.out().contains(task), task + "\n" + r.out());
        }
    }

    @Test
    void an_unwritable_plan_file_is_refused_before_any_host_is_asked() {
        PigRunner.Result r = pig("plan", with(EXPORTER, "-o", "/nonexistent/dir/p.json"));
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertEquals("Error: cannot save the plan to /nonexistent/dir/p.json: directory /nonexistent/dir does not exist\n"
                + "  Create it first, or save the plan elsewhere.\n", r.err());
        assertEquals("", r.out());
        assertEquals(0, hosts.host("10.10.10.21").factRuns.get());
    }

    // ---- apply and deploy

    @Test
    void deploy_applies_the_plan_with_a_line_before_and_after_each_step() {
        PigRunner.Result r = pig("deploy", "-i", INV, "-t", "node_exporter,haproxy", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("[")).toList();
        // haproxy's package comes with node_exporter's, in one apt run: its step starts with its directory
        assertEquals(List.of(
                "[1/2] packages node_exporter: running on 2 host(s)...",
                "[1/2] packages node_exporter: 2 changed, 0 ok, 0 failed",
                "[2/2] directory /etc/haproxy: running on 2 host(s)...",
                "[2/2] directory /etc/haproxy: 2 changed, 0 ok, 0 failed"), lines);
        assertTrue(r.out().contains("Apply complete: 14 change(s) on 2 host(s)"), r.out());
        assertTrue(hosts.host("10.10.10.21").applied().stream().anyMatch(c -> c.contains("apt-get install") && c.contains("prometheus-node-exporter")
                && c.contains("haproxy")), hosts.host("10.10.10.21").applied().toString());
        assertTrue(hosts.host("10.10.10.22").applied().contains("systemctl enable --no-reload prometheus-node-exporter.service && systemctl daemon-reload"),
                hosts.host("10.10.10.22").applied().toString());
        assertTrue(hosts.host("10.10.10.21").uploads.contains("/etc/default/prometheus-node-exporter"), hosts.host("10.10.10.21").uploads.toString());
    }

    @Test
    void deploy_and_apply_detailed_exitcode_say_whether_anything_changed() {
        assertEquals(ExitCodes.CHANGES_PENDING, pig("deploy", with(EXPORTER, "-y", "--detailed-exitcode")).code());
        assertEquals(ExitCodes.CHANGES_PENDING, pig("apply", with(EXPORTER, "-y", "--detailed-exitcode")).code());
        PigRunner.Result none = pig("deploy", with(EXPORTER, "-e", "node_exporter_enabled=false", "-y", "--detailed-exitcode"));
        assertEquals(ExitCodes.OK, none.code(), none.toString());
        assertTrue(none.out().contains("No changes."), none.out());
        assertEquals(ExitCodes.OK, pig("deploy", with(EXPORTER, "-y")).code(), "without the flag a change is exit 0");
    }

    @Test
    void a_failing_step_exits_1_naming_host_step_and_stderr_and_the_other_host_converges() {
        FakeHosts.Host bad = hosts.host("10.10.10.22");
        bad.fails = c -> c.contains("apt-get");
        bad.failure = "E: Unable to locate package prometheus-node-exporter\n";
        PigRunner.Result r = pig("deploy", with(EXPORTER, "-y", "--detailed-exitcode"));
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("10.10.10.22: packages node_exporter: "), r.err());
        assertTrue(r.err().contains("E: Unable to locate package prometheus-node-exporter"), r.err());
        assertTrue(r.err().contains("Apply failed on 1 host(s); 3 change(s) were made elsewhere"), r.err());
        assertTrue(r.err().contains("  10.10.10.22 was left without 3 change(s): packages node_exporter, file"), r.err());
        assertTrue(hosts.host("10.10.10.21").applied().contains("systemctl enable --no-reload prometheus-node-exporter.service && systemctl daemon-reload"));
        assertFalse(bad.applied().stream().anyMatch(c -> c.contains("systemctl")), "the failed host stops at its step");
    }

    @Test
    void a_unit_that_fails_to_start_shows_its_journal() {
        FakeHosts.Host bad = hosts.host("10.10.10.21");
        bad.fails = c -> c.endsWith("systemctl start prometheus-node-exporter.service");
        bad.failure = "Job for prometheus-node-exporter.service failed.\nSee \"journalctl -xeu prometheus-node-exporter.service\" for details.\n";
        bad.journal = "node_exporter[311]: listen tcp :9100: bind: address already in use\n";
        PigRunner.Result r = pig("deploy", with(EXPORTER, "-y"));
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("    journalctl -u prometheus-node-exporter.service (last 20 lines):\n"
                + "      node_exporter[311]: listen tcp :9100: bind: address already in use\n"), r.err());
    }

    @Test
    void deploy_exits_69_when_no_host_is_reachable() {
        hosts.host("10.10.10.21").reachable = false;
        hosts.host("10.10.10.22").reachable = false;
        PigRunner.Result r = pig("deploy", with(EXPORTER, "-y"));
        assertEquals(ExitCodes.UNAVAILABLE, r.code(), r.toString());
    }

    @Test
    void forks_limits_how_many_hosts_are_worked_on_at_once() {
        hosts.commandMillis = 30;
        assertEquals(ExitCodes.OK, pig("deploy", with(EXPORTER, "-y", "--forks", "1")).code());
        assertEquals(1, hosts.mostAtOnce.get());
        hosts.mostAtOnce.set(0);
        assertEquals(ExitCodes.OK, pig("deploy", with(EXPORTER, "-y", "--forks", "2")).code());
        assertEquals(2, hosts.mostAtOnce.get());
    }

    // ---- a host that cannot be planned

    static final String ALPINE = "PRETTY_NAME=\"Alpine Linux v3.19\"\nVERSION_ID=3.19.1\nID=alpine\n";

    @Test
    void a_host_that_fails_to_plan_stops_the_run_naming_the_host_and_why_and_nothing_is_applied() {
        hosts.host("10.10.10.22").osRelease = ALPINE;
        PigRunner.Result r = pig("deploy", with(EXPORTER, "-y"));
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.out().contains("10.10.10.22: ! the NODE module supports Debian and Ubuntu so far, not Alpine Linux v3.19"), r.out());
        assertTrue(r.err().contains("Error: 1 of 2 host(s) could not be planned; nothing was changed:\n"
                + "  10.10.10.22: the NODE module supports Debian and Ubuntu so far, not Alpine Linux v3.19\n"
                + "  Fix the cause and run again, or add --keep-going to apply the hosts that were planned.\n"), r.err());
        assertEquals(List.of(), hosts.host("10.10.10.21").applied(), "the host that was planned is not applied alone");
        assertTrue(hosts.host("10.10.10.21").uploads.isEmpty());
        assertFalse(r.out().contains("Apply complete"), r.out());
    }

    @Test
    void keep_going_applies_the_hosts_that_were_planned_and_fails_naming_the_others() {
        hosts.host("10.10.10.22").osRelease = ALPINE;
        PigRunner.Result r = pig("deploy", with(EXPORTER, "-y", "--keep-going"));
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(hosts.host("10.10.10.21").applied().contains("systemctl enable --no-reload prometheus-node-exporter.service && systemctl daemon-reload"),
                hosts.host("10.10.10.21").applied().toString());
        assertTrue(r.err().contains("Apply failed on 1 host(s); 3 change(s) were made elsewhere"), r.err());
        assertTrue(r.err().contains("10.10.10.22: plan: the NODE module supports Debian and Ubuntu so far, not Alpine Linux v3.19"), r.err());
    }

    @Test
    void an_unreachable_host_stops_apply_node_add_and_node_rm_alike() {
        hosts.host("10.10.10.22").reachable = false;
        for (String[] args : List.of(new String[] {"apply", "-i", INV, "-t", "node_exporter", "-y"},
                new String[] {"node", "add", "pg-a", "-i", INV, "-t", "node_exporter", "-y"},
                new String[] {"node", "rm", "pg-a", "-i", INV, "-y"})) {
            PigRunner.Result r = PigRunner.runWith(hosts, args);
            assertEquals(ExitCodes.FAILURE, r.code(), String.join(" ", args) + "\n" + r);
            assertTrue(r.err().contains("  10.10.10.22: connection refused (port 22)\n"), r.err());
            assertEquals(List.of(), hosts.host("10.10.10.21").applied(), String.join(" ", args));
        }
    }

    @Test
    void a_saved_plan_with_a_host_that_failed_to_plan_is_applied_only_with_keep_going(@TempDir Path tmp) {
        hosts.host("10.10.10.22").osRelease = ALPINE;
        Path file = tmp.resolve("plan.json");
        assertEquals(ExitCodes.FAILURE, pig("plan", with(EXPORTER, "-o", file.toString())).code());
        PigRunner.Result refused = pig("apply", "-i", INV, file.toString(), "-y");
        assertEquals(ExitCodes.FAILURE, refused.code(), refused.toString());
        assertTrue(refused.err().contains("could not be planned; nothing was changed"), refused.err());
        assertEquals(List.of(), hosts.host("10.10.10.21").applied());
        PigRunner.Result kept = pig("apply", "-i", INV, file.toString(), "-y", "--keep-going");
        assertEquals(ExitCodes.FAILURE, kept.code(), kept.toString());
        assertFalse(hosts.host("10.10.10.21").applied().isEmpty());
    }

    @Test
    void a_removal_of_instances_changes_all_of_them_or_none_and_has_no_keep_going() {
        hosts.host("10.10.10.21").reachable = false;
        PigRunner.Result r = pig("pgsql", "rm", "-i", INV, "pg-a", "-y");
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.out().contains("10.10.10.22:\n"), "the replica alone could be removed: " + r.out());
        assertTrue(r.err().contains("Error: 1 of 2 host(s) could not be planned; nothing was changed:\n"
                + "  10.10.10.21: connection refused (port 22)\n"
                + "  Fix the cause and run again: this command changes all of its hosts or none.\n"), r.err());
        assertEquals(List.of(), hosts.host("10.10.10.22").applied());
        PigRunner.Result option = pig("pgsql", "rm", "-i", INV, "pg-a", "-y", "--keep-going");
        assertEquals(ExitCodes.USAGE, option.code(), option.toString());
    }

    // ---- saved plans

    @Test
    void a_saved_plan_is_applied_exactly_as_planned(@TempDir Path tmp) {
        Path file = tmp.resolve("plan.json");
        PigRunner.Result plan = pig("plan", with(EXPORTER, "-o", file.toString()));
        assertEquals(ExitCodes.OK, plan.code(), plan.toString());
        assertTrue(plan.err().contains("Plan saved to " + file), plan.err());
        assertTrue(hosts.host("10.10.10.21").applied().isEmpty());
        PigRunner.Result apply = pig("apply", "-i", INV, file.toString(), "-y");
        assertEquals(ExitCodes.OK, apply.code(), apply.toString());
        assertTrue(apply.out().contains("Apply complete: 6 change(s) on 2 host(s)"), apply.out());
        List<String> planned = dev.pig.core.plan.PlanJson.load(file).hosts().get(0).actions().stream()
                .flatMap(a -> a.steps().stream()).filter(st -> st instanceof dev.pig.core.plan.Step.Exec)
                .map(st -> ((dev.pig.core.plan.Step.Exec) st).command()).toList();
        assertEquals(planned, hosts.host("10.10.10.21").applied());
    }

    @Test
    void a_stale_saved_plan_is_refused_whole_naming_each_stale_host(@TempDir Path tmp) {
        Path file = tmp.resolve("plan.json");
        assertEquals(ExitCodes.OK, pig("plan", with(EXPORTER, "-o", file.toString())).code());
        hosts.host("10.10.10.22").hostname = "renamed";
        PigRunner.Result r = pig("apply", "-i", INV, file.toString(), "-y");
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("Error: the saved plan is stale on 1 of 2 host(s) with changes; nothing was applied:\n"
                + "  10.10.10.22: the host changed since the plan was made\n"), r.err());
        assertEquals(List.of(), hosts.host("10.10.10.21").applied(), "the fresh host is not applied alone");
        assertEquals(List.of(), hosts.host("10.10.10.22").applied());
    }

    @Test
    void a_file_that_is_not_a_plan_is_refused_by_name(@TempDir Path tmp) throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.json"), "hello\n");
        PigRunner.Result r = pig("apply", "-i", INV, notes.toString(), "-y");
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().startsWith("Error: " + notes + " is not a pig plan file: it is not JSON"), r.err());
        Path view = tmp.resolve("view.json");
        Files.writeString(view, pig("plan", with(EXPORTER, "--json")).out());
        PigRunner.Result v = pig("apply", "-i", INV, view.toString(), "-y");
        assertTrue(v.err().startsWith("Error: " + view + " is the masked view printed by 'pig plan --json', not a plan file"), v.err());
    }

    // ---- connections

    @Test
    void the_host_key_policy_reaches_every_connection_and_a_wrong_one_is_a_usage_error() {
        assertEquals(ExitCodes.OK, pig("facts", "-i", INV, "--host-key-policy", "off").code());
        assertEquals(dev.pig.core.ssh.HostKeyPolicy.OFF, hosts.lastOptions.hostKeyPolicy());
        assertEquals(ExitCodes.OK, pig("facts", "-i", INV).code());
        assertEquals(dev.pig.core.ssh.HostKeyPolicy.ACCEPT_NEW, hosts.lastOptions.hostKeyPolicy());
        PigRunner.Result bad = pig("facts", "-i", INV, "--host-key-policy", "trust-all");
        assertEquals(ExitCodes.USAGE, bad.code(), bad.toString());
        assertTrue(bad.err().contains("unknown host key policy 'trust-all' (expected accept-new, strict or off)"), bad.err());
    }

    @Test
    void hosts_are_reached_as_the_inventory_says(@TempDir Path tmp) throws Exception {
        Path inv = Files.writeString(tmp.resolve("inv.yml"), Files.readString(Path.of(INV))
                .replace("10.10.10.22: { pg_seq: 2, pg_role: replica }",
                        "10.10.10.22: { pg_seq: 2, pg_role: replica, ansible_user: dba, ansible_port: 2222, ansible_become: false }"));
        assertEquals(ExitCodes.OK, pig("facts", "-i", inv.toString(), "--private-key", tmp.resolve("key").toString()).code());
        dev.pig.core.ssh.SshTarget t = hosts.targets.get("10.10.10.22");
        assertEquals("dba", t.user());
        assertEquals(2222, t.port());
        assertFalse(t.needsSudo());
        assertTrue(hosts.targets.get("10.10.10.21").needsSudo() == false && hosts.targets.get("10.10.10.21").user().equals("root"));
        assertEquals(List.of(tmp.resolve("key")), hosts.lastOptions.defaultKeys());
    }

    // ---- facts

    @Test
    void facts_exit_0_then_1_with_one_host_down_then_69_with_none_up() {
        PigRunner.Result ok = pig("facts", "-i", INV);
        assertEquals(ExitCodes.OK, ok.code(), ok.toString());
        assertTrue(ok.out().startsWith("10.10.10.21: fake, debian 12 x86_64, 2 CPU"), ok.out());
        hosts.host("10.10.10.22").reachable = false;
        PigRunner.Result one = pig("facts", "-i", INV);
        assertEquals(ExitCodes.FAILURE, one.code(), one.toString());
        assertTrue(one.err().contains("Error: 10.10.10.22: connection refused (port 22)"), one.err());
        hosts.host("10.10.10.21").reachable = false;
        assertEquals(ExitCodes.UNAVAILABLE, pig("facts", "-i", INV).code());
    }

    // ---- recorded facts

    @Test
    void a_plan_from_recorded_facts_equals_the_live_plan_and_reaches_no_host(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("facts.json");
        PigRunner.Result rec = pig("facts", "-i", INV, "-o", file.toString());
        assertEquals(ExitCodes.OK, rec.code(), rec.toString());
        assertTrue(rec.out().contains("Recorded the facts of 2 of 2 host(s) in " + file), rec.out());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        PigRunner.Result live = pig("plan", "-i", INV, "--detailed-exitcode");
        hosts.host("10.10.10.21").reachable = false;
        hosts.host("10.10.10.22").reachable = false;
        int asked = hosts.host("10.10.10.21").factRuns.get() + hosts.host("10.10.10.22").factRuns.get();
        PigRunner.Result offline = pig("plan", "-i", INV, "--facts", file.toString(), "--detailed-exitcode");
        assertEquals(ExitCodes.CHANGES_PENDING, offline.code(), offline.toString());
        assertEquals(live.out(), offline.out(), "the same plan, made from the recording");
        assertTrue(offline.err().contains("Planned from facts recorded ") && offline.err().contains("no host was reached"), offline.err());
        assertEquals(asked, hosts.host("10.10.10.21").factRuns.get() + hosts.host("10.10.10.22").factRuns.get());
        assertTrue(live.out().contains("to add"), live.out());
    }

    @Test
    void recorded_facts_that_lack_what_the_tasks_need_now_fail_that_host_naming_the_facts(@TempDir Path tmp) {
        Path file = tmp.resolve("facts.json");
        assertEquals(ExitCodes.OK, pig("facts", "-i", INV, "-l", "10.10.10.21", "-t", "node_exporter", "-o", file.toString()).code());
        PigRunner.Result r = pig("plan", with(EXPORTER, "--facts", file.toString()));
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.out().startsWith("10.10.10.21:\n  + install prometheus-node-exporter"), r.out());
        assertTrue(r.out().contains("10.10.10.22: ! is not in the recorded facts; record the facts again with 'pig facts -o FILE'"), r.out());
        PigRunner.Result more = pig("plan", "-i", INV, "-l", "10.10.10.21", "-t", "node_exporter,node_tune", "--facts", file.toString());
        assertEquals(ExitCodes.FAILURE, more.code(), more.toString());
        assertTrue(more.out().contains("10.10.10.21: ! the recorded facts lack "), more.out());
        assertTrue(more.err().contains("Error: no host could be planned from the recorded facts; nothing was done."), more.err());
    }

    @Test
    void recorded_facts_past_their_age_limit_are_refused_unless_told(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("facts.json");
        assertEquals(ExitCodes.OK, pig("facts", with(EXPORTER, "-o", file.toString())).code());
        String json = Files.readString(file);
        String old = java.time.Instant.now().minus(java.time.Duration.ofDays(3)).toString();
        Files.writeString(file, json.replaceFirst("\"recorded\":\"[^\"]+\"", "\"recorded\":\"" + old + "\""));
        PigRunner.Result r = pig("plan", with(EXPORTER, "--facts", file.toString()));
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains("the facts in " + file + " were recorded " + old + ", 3d ago, past the limit of 24h;"
                + " nothing was planned"), r.err());
        assertTrue(r.err().contains("--facts-max-age=any"), r.err());
        assertEquals(ExitCodes.OK, pig("plan", with(EXPORTER, "--facts", file.toString(), "--facts-max-age", "4d")).code());
        assertEquals(ExitCodes.OK, pig("plan", with(EXPORTER, "--facts", file.toString(), "--facts-max-age=any")).code());
        PigRunner.Result bad = pig("plan", with(EXPORTER, "--facts", file.toString(), "--facts-max-age", "3 days"));
        assertEquals(ExitCodes.USAGE, bad.code(), bad.toString());
        assertTrue(bad.err().contains("'3 days' is not an age"), bad.err());
    }

    @Test
    void facts_recorded_by_a_pig_of_an_older_format_are_refused_with_how_to_record_them_again(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("facts.json");
        assertEquals(ExitCodes.OK, pig("facts", with(EXPORTER, "-o", file.toString())).code());
        Files.writeString(file, Files.readString(file).replaceFirst("\"formatVersion\":\\d+", "\"formatVersion\":1"));
        PigRunner.Result r = pig("plan", with(EXPORTER, "--facts", file.toString()));
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains(file + " holds facts of format 1, this pig reads format " + dev.pig.core.fact.FactsFile.VERSION)
                && r.err().contains("Record the facts with 'pig facts -o FILE'"), r.err());
    }

    @Test
    void a_file_that_is_not_recorded_facts_is_refused_by_name(@TempDir Path tmp) throws Exception {
        Path plan = tmp.resolve("plan.json");
        assertEquals(ExitCodes.OK, pig("plan", with(EXPORTER, "-o", plan.toString())).code());
        PigRunner.Result r = pig("plan", with(EXPORTER, "--facts", plan.toString()));
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains(plan + " is not a pig facts file: it has no format 'pig-facts'"), r.err());
        PigRunner.Result missing = pig("plan", with(EXPORTER, "--facts", tmp.resolve("none.json").toString()));
        assertEquals(ExitCodes.USAGE, missing.code(), missing.toString());
        assertTrue(missing.err().contains("facts file not found: " + tmp.resolve("none.json")), missing.err());
        int asked = hosts.host("10.10.10.21").factRuns.get();
        PigRunner.Result nodir = pig("facts", with(EXPORTER, "-o", tmp.resolve("no/such/facts.json").toString()));
        assertEquals(ExitCodes.USAGE, nodir.code(), nodir.toString());
        assertTrue(nodir.err().contains("cannot save the facts to " + tmp.resolve("no/such/facts.json")), nodir.err());
        assertEquals(asked, hosts.host("10.10.10.21").factRuns.get(), "refused before any host is asked");
    }
}
