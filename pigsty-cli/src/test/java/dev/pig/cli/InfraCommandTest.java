package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code pig infra add|rm}, {@code pig status} and {@code pig pgsql monitor add|rm} against
 * {@link FakeHosts}: what each command reaches, what it shows and what it never shows.
 */
class InfraCommandTest {
    static final String SANDBOX = PigRunner.path("inventory-examples/sandbox.yml");
    private final FakeHosts hosts = new FakeHosts();

    static String fixture(String relative) throws Exception {
        return Files.readString(Path.of(PigRunner.path("src-test-fixtures/" + relative)));
    }

    @Test
    void infra_add_deploys_the_infra_group_alone_and_registers_every_instance() {
        PigRunner.Result r = PigRunner.runWith(hosts, "infra", "add", "-i", SANDBOX, "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        List<String> uploads = hosts.host("10.10.10.10").uploads;
        assertTrue(uploads.stream().anyMatch(u -> u.contains("/data/infra/.prometheus.yml.pig-new")), uploads.toString());
        assertTrue(uploads.stream().anyMatch(u -> u.contains("/data/infra/targets/pgsql/pg-test-2.yml")), uploads.toString());
        for (String other : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            assertEquals(0, hosts.host(other).factRuns.get(), other + " is not asked");
        }
    }

    @Test
    void infra_rm_stops_the_stack_and_keeps_its_data() {
        PigRunner.Result r = PigRunner.runWith(hosts, "infra", "rm", "-i", SANDBOX, "-y", "--detailed-exitcode");
        assertTrue(r.code() == ExitCodes.OK || r.code() == ExitCodes.CHANGES_PENDING, r.toString());
        assertFalse(String.join("\n", hosts.host("10.10.10.10").applied()).contains("/data/infra"), "metrics and targets stay");
    }

    @Test
    void status_shows_the_stopped_replica_and_its_alert_and_the_same_as_json() throws Exception {
        for (String m : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            hosts.host(m).sections.put("pgsql.patroni.pg-test", fixture("infra/status/patroni-replica-stopped.json"));
        }
        hosts.host("10.10.10.10").sections.put("infra.status:infra-1", fixture("infra/status/infra-fault.out"));
        PigRunner.Result r = PigRunner.runWith(hosts, "status", "-i", SANDBOX, "pg-test");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().startsWith("pg-test: leader pg-test-1, timeline 1, last backup 2h 3m ago, 1 alert firing\n"), r.out());
        assertTrue(r.out().contains("  pg-test-2  10.10.10.12  replica  stopped"), r.out());
        assertTrue(r.out().contains("  CRIT PgsqlDown pg-test-2: PostgreSQL pg-test-2 (10.10.10.12) is down"), r.out());
        assertFalse(r.out().contains("pg-meta"), "only the cluster asked for");

        PigRunner.Result j = PigRunner.runWith(hosts, "status", "-i", SANDBOX, "pg-test", "--json");
        JsonNode c = new ObjectMapper().readTree(j.out()).path("clusters").get(0);
        assertEquals("pg-test-1", c.path("leader").asText());
        assertFalse(c.path("healthy").asBoolean());
        assertEquals("stopped", c.path("members").get(1).path("state").asText());
        assertEquals("PgsqlDown", c.path("alerts").get(0).path("alertname").asText());
    }

    @Test
    void status_of_a_cluster_the_inventory_lacks_is_a_usage_error() {
        PigRunner.Result r = PigRunner.runWith(hosts, "status", "-i", SANDBOX, "pg-nope");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("no PostgreSQL cluster 'pg-nope'"), r.err());
    }

    @Test
    void monitor_add_writes_the_url_only_into_a_file_of_roots_and_registers_the_database_on_every_infra_node() {
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "monitor", "add", "rds1", "-i", SANDBOX,
                "--url", "postgres://dbuser_monitor:S3cret.Pw@203.0.113.7:5432/postgres", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("Monitoring rds1 (203.0.113.7) from infra-1, port 20001."), r.out());
        assertFalse(r.out().contains("S3cret") || r.err().contains("S3cret"), "the password is shown: " + r);
        assertFalse(String.join("\n", hosts.host("10.10.10.10").applied()).contains("S3cret"), "the password is on a command line");
        List<String> uploads = hosts.host("10.10.10.10").uploads;
        assertTrue(uploads.stream().anyMatch(u -> u.equals("/etc/pig/pg-monitor/rds1.env")), uploads.toString());
        assertTrue(uploads.stream().anyMatch(u -> u.contains("/data/infra/targets/pgrds/rds1.yml")), uploads.toString());
        assertTrue(hosts.host("10.10.10.10").applied().stream().anyMatch(c -> c.contains("pg-monitor@rds1.service")), "the unit starts");
    }

    @Test
    void monitor_add_refuses_a_name_that_is_no_label_and_a_url_that_is_none() {
        PigRunner.Result name = PigRunner.runWith(hosts, "pgsql", "monitor", "add", "RDS/1", "-i", SANDBOX, "--url", "postgres://u:p@h/db", "-y");
        assertEquals(ExitCodes.USAGE, name.code(), name.toString());
        PigRunner.Result url = PigRunner.runWith(hosts, "pgsql", "monitor", "add", "rds1", "-i", SANDBOX, "--url", "mysql://h/db", "-y");
        assertEquals(ExitCodes.USAGE, url.code(), url.toString());
        assertTrue(url.err().contains("postgres://"), url.err());
    }

    @Test
    void monitor_rm_reaches_every_infra_node_only() {
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "monitor", "rm", "rds1", "-i", SANDBOX, "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertEquals(0, hosts.host("10.10.10.11").factRuns.get());
        assertTrue(hosts.host("10.10.10.10").factRuns.get() > 0);
    }
}
