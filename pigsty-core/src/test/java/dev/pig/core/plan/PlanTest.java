package dev.pig.core.plan;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.model.Secret;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanTest {

    private static Plan sample() {
        Change.Act file = new Change.Act("file /etc/hosts", "node_hosts", Action.UPDATE, "file /etc/hosts: content",
                List.of(Step.Upload.of("/etc/hosts", "10.10.10.10 meta\n".getBytes(), "0644", "root", "root")),
                UnifiedDiff.diff("/etc/hosts", "127.0.0.1 localhost\n", "10.10.10.10 meta\n"));
        Change.Act run = new Change.Act("command initdb", "pg_init", Action.RUN, "command initdb: initdb -D /pg/data",
                List.of(new Step.Exec("initdb -D /pg/data", "initdb -D /pg/data")), "");
        Change.NoOp noop = new Change.NoOp("package patroni", "pg_install", "package patroni is installed (3.2.2)");
        return Plan.of(List.of(
                new HostPlan("10.10.10.10", "ab12", FactRequest.builder().files("/etc/hosts").build(), List.of(noop, file, run), null),
                HostPlan.failed("10.10.10.11", "connection refused (port 22)")));
    }

    @Test
    void renders_actions_diffs_failures_and_the_summary() {
        assertEquals("""
                10.10.10.10:
                  ~ file /etc/hosts: content
                      --- /etc/hosts
                      +++ /etc/hosts
                      @@ -1,1 +1,1 @@
                      -127.0.0.1 localhost
                      +10.10.10.10 meta
                  > command initdb: initdb -D /pg/data

                10.10.10.11: ! connection refused (port 22)

                Incomplete plan: 0 to add, 2 to change, 0 to destroy on the 1 host(s) planned; 1 of 2 host(s) could not be planned.
                """, PlanRenderer.text(sample(), false));
    }

    @Test
    void never_claims_no_changes_when_a_host_could_not_be_planned() {
        HostPlan converged = new HostPlan("10.10.10.10", "ab12", FactRequest.empty(),
                List.of(new Change.NoOp("package patroni", "pg_install", "installed")), null);
        HostPlan refused = HostPlan.failed("10.10.10.11", "connection refused (port 22)");
        assertEquals("Incomplete plan: 1 of 2 host(s) could not be planned; the other 1 match the inventory.",
                PlanRenderer.summary(Plan.of(List.of(converged, refused))));
        assertEquals("Nothing planned: 2 of 2 host(s) could not be planned.",
                PlanRenderer.summary(Plan.of(List.of(refused, HostPlan.failed("10.10.10.12", "connection refused (port 22)")))));
    }

    @Test
    void says_no_changes_when_every_change_is_a_noop() {
        Plan p = Plan.of(List.of(new HostPlan("h", "x", FactRequest.empty(),
                List.of(new Change.NoOp("package patroni", "pg_install", "installed")), null)));
        assertEquals("No changes. The hosts match the inventory.", PlanRenderer.summary(p));
        assertTrue(PlanRenderer.text(p, true).contains("    package patroni: installed\n"));
    }

    @Test
    void survives_a_json_round_trip_with_fingerprint_and_file_bytes() {
        Plan p = sample();
        Plan back = PlanJson.read(PlanJson.write(p));
        assertEquals(p, back);
        assertTrue(PlanJson.write(p).contains("\"factsFingerprint\" : \"ab12\""));
    }

    @Test
    void a_saved_plan_keeps_which_stages_run_ahead_and_an_older_file_without_them_has_none() {
        Change.Act act = new Change.Act("packages postgresql", "pg_install", Action.CREATE, "install postgresql-15", List.of(), "");
        Plan p = Plan.of(List.of(new HostPlan("10.10.10.11", "cd34", FactRequest.empty(), List.of(act, act),
                List.of("50.02 pgsql install", "50.04 pgsql etcd"), List.of("50.02 pgsql install"), null)));
        Plan back = PlanJson.read(PlanJson.write(p));
        assertEquals(p, back);
        assertEquals(List.of("50.02 pgsql install"), back.hosts().get(0).localStages());
        String older = PlanJson.write(p).replaceAll("\"localStages\" : \\[[^\\]]*\\],?", "");
        assertTrue(!older.contains("localStages"), older);
        assertEquals(List.of(), PlanJson.read(older).hosts().get(0).localStages());
    }

    @Test
    void a_certificate_to_sign_at_apply_time_survives_a_json_round_trip_and_shows_its_request() {
        Step sign = new Step.Sign("openssl req -new -key /pg/cert/server.key -subj /CN=pg-test-1", List.of("DNS:pg-test", "IP:10.10.10.11"),
                7300, "/pg/cert/server.crt", "0644", "postgres", "postgres");
        Change.Act act = new Change.Act("certificate /pg/cert/server.crt", "pg_cert", Action.CREATE, "issued", List.of(sign), "");
        Plan p = Plan.of(List.of(new HostPlan("10.10.10.11", "cd34", FactRequest.empty(), List.of(act), null)));
        assertEquals(p, PlanJson.read(PlanJson.write(p)));
        assertEquals("certificate /pg/cert/server.crt for DNS:pg-test,IP:10.10.10.11, 7300 days (mode 0644, postgres:postgres), signed by"
                + " the CA for the request this prints on the host:\nopenssl req -new -key /pg/cert/server.key -subj /CN=pg-test-1", sign.shown());
    }

    @Test
    void secret_never_prints_its_value() {
        Secret s = new Secret("DBUser.Meta");
        assertEquals("***", s.toString());
        assertEquals("user *** / pw ***", Masker.of(s, new Secret("dbuser_meta")).mask("user dbuser_meta / pw DBUser.Meta"));
    }

    @Test
    void the_json_view_masks_every_text_and_holds_no_raw_command_or_content() {
        Change.Act act = new Change.Act("command auth", "etcd_auth", Action.RUN, "command auth: etcdctl --user root:***",
                List.of(Step.Exec.of("etcdctl --user root:S3cretXyz auth enable", Masker.of(new Secret("S3cretXyz"))),
                        Step.Upload.of("/etc/x.conf", "password: S3cretXyz\n".getBytes(), "0600", "root", "root")), "");
        Plan p = Plan.of(List.of(new HostPlan("h", "f", FactRequest.builder().checks("etcdctl --user root:S3cretXyz user list").build(),
                List.of(act), null)));
        String view = PlanJson.view(p, Masker.of(new Secret("S3cretXyz")));
        assertTrue(!view.contains("S3cretXyz") && !view.contains("\"content\"") && !view.contains("\"command\""), view);
        assertTrue(view.contains("etcdctl --user root:*** user list"), view);
        assertTrue(view.contains("\"shown\" : \"etcdctl --user root:*** auth enable\""), view);
        dev.pig.core.diag.PigException e = org.junit.jupiter.api.Assertions.assertThrows(dev.pig.core.diag.PigException.class,
                () -> PlanJson.read(view, "view.json"));
        assertTrue(e.getMessage().startsWith("view.json is the masked view printed by 'pig plan --json', not a plan file"), e.getMessage());
    }

    @Test
    void a_file_that_is_not_a_plan_is_named_without_parser_internals() {
        dev.pig.core.diag.PigException e = org.junit.jupiter.api.Assertions.assertThrows(dev.pig.core.diag.PigException.class,
                () -> PlanJson.read("hello: world\n", "notes.txt"));
        assertEquals("notes.txt is not a pig plan file: it is not JSON (line 1, column 1)\n"
                + "  Save a plan with 'pig plan -o PLANFILE', then 'pig apply PLANFILE'.", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.pig.core.diag.PigException.class,
                () -> PlanJson.read("{\"a\": 1}", "other.json"));
        assertTrue(e.getMessage().startsWith("other.json is not a pig plan file: it has no 'formatVersion' and 'hosts'"), e.getMessage());
    }

    @Test
    void diffs_with_context_and_separate_hunks() {
        String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        String b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n";
        assertEquals("""
                --- f
                +++ f
                @@ -1,6 +1,6 @@
                 1
                 2
                -3
                +three
                 4
                 5
                 6
                @@ -9,4 +9,4 @@
                 9
                 10
                 11
                -12
                +twelve
                """, UnifiedDiff.diff("f", a, b));
        assertEquals("", UnifiedDiff.diff("f", a, a));
    }

    @Test
    void marks_the_last_line_that_has_no_newline_where_it_stands() {
        assertEquals("""
                --- f
                +++ f
                @@ -1,1 +1,1 @@
                -x
                \\ No newline at end of file
                +x
                """, UnifiedDiff.diff("f", "x", "x\n"));
        assertEquals("""
                --- f
                +++ f
                @@ -1,2 +1,2 @@
                 a
                -b
                +c
                \\ No newline at end of file
                """, UnifiedDiff.diff("f", "a\nb\n", "a\nc"));
        assertEquals("""
                --- /dev/null
                +++ f
                @@ -0,0 +1,1 @@
                +only
                \\ No newline at end of file
                """, UnifiedDiff.diff("f", "", "only"));
    }

    @Test
    void shows_a_very_large_change_as_one_replacement() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2001; i++) {
            a.append("a").append(i).append('\n');
            b.append(i == 1000 ? "changed" : "a" + i).append('\n');
        }
        String d = UnifiedDiff.diff("f", a.toString(), b.toString());
        assertTrue(d.startsWith("--- f\n+++ f\n@@ -1,2001 +1,2001 @@\n-a0\n-a1\n"), d.substring(0, 80));
        assertEquals(4002, d.lines().filter(l -> l.startsWith("-a") || l.startsWith("+a") || l.equals("+changed")).count());
    }

    @Test
    void prints_control_characters_of_names_escaped_keeping_lines_and_tabs() {
        Change.Act run = new Change.Act("command x", "pg_db", Action.RUN, "create database \u001b]0;owned\u0007x\rok",
                List.of(new Step.Exec("true", "true")), "--- a\n+++ b\n+\tkey = v\u009b\n");
        String out = PlanRenderer.text(Plan.of(List.of(new HostPlan("h", "ab", FactRequest.builder().build(), List.of(run), null))), false);
        assertTrue(out.contains("> create database \\x1b]0;owned\\x07x\\rok\n"), out);
        assertTrue(out.contains("      +\tkey = v\\x9b\n"), out);
    }

    @Test
    void a_content_uploaded_to_many_hosts_is_written_once_in_the_plan_file_and_read_back_whole() {
        byte[] keys = "ssh-ed25519 AAAA... a\n".repeat(500).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<HostPlan> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Change.Act a = new Change.Act("file /home/dba/.ssh/authorized_keys", "node_admin", Action.UPDATE, "keys",
                    List.of(Step.Upload.of("/home/dba/.ssh/authorized_keys", keys, "0600", "dba", "dba")), "");
            hosts.add(new HostPlan("10.10.10." + i, "f", FactRequest.empty(), List.of(a), null));
        }
        String json = PlanJson.write(Plan.of(hosts));
        assertTrue(json.length() < keys.length * 2 + 50 * 2000, "written " + json.length() + " bytes for 50 hosts of one content");
        Plan back = PlanJson.read(json);
        for (HostPlan h : back.hosts()) {
            assertTrue(java.util.Arrays.equals(keys, ((Step.Upload) h.actions().get(0).steps().get(0)).content()));
        }
        String tampered = json.replaceFirst("\"sha256\" : \"[0-9a-f]{64}\"", "\"sha256\" : \"" + "0".repeat(64) + "\"");
        dev.pig.core.diag.PigException e = org.junit.jupiter.api.Assertions.assertThrows(dev.pig.core.diag.PigException.class,
                () -> PlanJson.read(tampered));
        assertTrue(e.getMessage().contains("without its content") || e.getMessage().contains("does not match its sha256"), e.getMessage());
    }
}
