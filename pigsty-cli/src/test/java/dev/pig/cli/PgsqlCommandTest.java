package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Modules;
import dev.pig.modules.Selection;

/** {@code pig pgsql ...}: the checks made before any host is reached; what they plan is tested with the PGSQL module. */
class PgsqlCommandTest {
    static final String INV = PigRunner.path("inventory-examples/sandbox.yml");

    @Test
    void pgsql_without_a_subcommand_shows_every_verb() {
        PigRunner.Result r = PigRunner.run("pgsql");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        for (String verb : new String[] {"add", "rm", "user", "db", "hba", "switchover", "failover", "restart", "reinit", "pause",
                "resume", "reload", "promote"}) {
            assertTrue(r.out().contains(verb), r.out());
        }
    }

    @Test
    void an_unknown_cluster_is_refused() {
        PigRunner.Result r = PigRunner.run("pgsql", "add", "-i", INV, "pg-nope");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("no PostgreSQL cluster 'pg-nope'"), r.err());
    }

    @Test
    void a_host_outside_the_cluster_is_refused() {
        PigRunner.Result r = PigRunner.run("pgsql", "add", "-i", INV, "pg-test", "10.10.10.10");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("not an instance of pg-test"), r.err());
    }

    @Test
    void removal_is_refused_under_the_safeguard() {
        PigRunner.Result r = PigRunner.run("pgsql", "rm", "-i", INV, "pg-test", "-e", "pg_safeguard=true", "-y");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("pg_safeguard is set for pg-test-1"), r.err());
    }

    @Test
    void rm_data_and_keep_data_contradict() {
        PigRunner.Result r = PigRunner.run("pgsql", "rm", "-i", INV, "pg-test", "--rm-data", "--keep-data");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    }

    @Test
    void user_and_db_must_be_in_the_inventory() {
        PigRunner.Result u = PigRunner.run("pgsql", "user", "-i", INV, "pg-test", "nobody");
        assertEquals(ExitCodes.USAGE, u.code(), u.toString());
        assertTrue(u.err().contains("not in the pg_users of pg-test"), u.err());
        PigRunner.Result d = PigRunner.run("pgsql", "db", "-i", INV, "pg-test", "nodb");
        assertEquals(ExitCodes.USAGE, d.code(), d.toString());
        assertTrue(d.err().contains("not in the pg_databases of pg-test"), d.err());
    }

    static final String USERS = "{pg_users: [{name: test}, {name: other}, {name: old, state: absent}]}";
    static final String DBS = "{pg_databases: [{name: app}, {name: test, state: recreate}, {name: legacy, state: absent}]}";

    /**
     * The names of the tasks of {@code kind} pg-test has under {@code tags}; with {@code name},
     * only the {@code entryTag} tasks of that entry, as {@code pgsql user} and {@code db} select them.
     */
    static List<String> planned(String tags, String kind, String entryTag, String name, String extra) {
        ClusterModel m = ModelLoader.load(Path.of(INV), List.of(extra)).model();
        Selection sel = Selection.of("pg-test", tags, Set.of("pgsql"));
        Deployment d = Deployment.of(m, Modules.all(), new ModuleContext(m, Templates.builtIn()),
                name == null ? sel : sel.only(entryTag, name));
        return d.work().values().stream().flatMap(List::stream).map(Task::name).filter(n -> n.startsWith(kind + " ")).distinct().toList();
    }

    @Test
    void pgsql_user_plans_the_named_role_only() {
        assertTrue(planned("pg_user", "role", "pg_user", null, USERS).containsAll(List.of("role test", "role other", "role old", "role dbuser_dba")));
        assertEquals(List.of("role test"), planned("pg_user", "role", "pg_user", "test", USERS));
        assertEquals(List.of("role old"), planned("pg_user", "role", "pg_user", "old", USERS), "dropping one user drops no other");
    }

    @Test
    void pgsql_db_plans_the_named_database_only_and_drops_or_recreates_no_other() {
        assertEquals(List.of("database app", "database test", "database legacy"), planned("pg_db", "database", "pg_db", null, DBS));
        assertEquals(List.of("database app"), planned("pg_db", "database", "pg_db", "app", DBS));
    }

    @Test
    void pgsql_ext_installs_the_packages_of_the_names_on_every_instance_and_nothing_else() {
        FakeHosts hosts = new FakeHosts();
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "ext", "-i", INV, "pg-test", "postgis", "pg_cron", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        for (String ip : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            List<String> applied = hosts.host(ip).applied();
            assertEquals(1, applied.size(), ip + ": " + applied);
            assertTrue(applied.get(0).contains("apt-get install") && applied.get(0).endsWith("postgresql-15-postgis-3 postgresql-15-cron; }"),
                    applied.get(0));
        }
        assertTrue(hosts.host("10.10.10.10").applied().isEmpty(), "a node of no instance of pg-test is not touched");
        assertTrue(r.out().contains("Add postgis, pg_cron to pg_extensions of pg-test"), r.out());
    }

    @Test
    void pgsql_ext_refuses_a_name_without_a_package_before_any_host_changes() {
        FakeHosts hosts = new FakeHosts();
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "ext", "-i", INV, "pg-test", "postgis", "timescaledb", "-y");
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.out().contains("pg_extensions cannot be installed on Debian GNU/Linux 12 (bookworm) with PostgreSQL 15:"), r.out());
        assertTrue(r.out().contains("timescaledb has no package for PostgreSQL 15 on Debian 12 (bookworm)"), r.out());
        assertTrue(r.err().contains("3 of 3 host(s) could not be planned; nothing was changed"), r.err());
        for (String ip : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            assertEquals(List.of(), hosts.host(ip).applied(), ip);
        }
    }

    // ------------------------------------------------------------------------------ day-2 verbs

    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");

    static String fixture(String name) {
        try {
            return java.nio.file.Files.readString(Path.of(PigRunner.path("src-test-fixtures/pgsql/" + name)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** pg-test's members answering as recorded on the sandbox: {@code members} as /cluster, each member's /patroni. */
    static FakeHosts pgTest(String members) {
        FakeHosts hosts = new FakeHosts();
        StringBuilder status = new StringBuilder();
        for (String h : PG_TEST) {
            status.append("@@member ").append(h).append('\n').append(fixture(h.equals("10.10.10.11") ? "patroni-status-leader.json"
                    : "patroni-status-replica.json").strip()).append('\n');
        }
        for (String h : PG_TEST) {
            FakeHosts.Host host = hosts.host(h);
            host.sections.put("pgsql.patroni.pg-test", fixture(members));
            host.sections.put("pgsql.patroni-live.pg-test", fixture("patroni-live-converged.out"));
            host.sections.put("pgsql.patroni-status.pg-test", status.toString());
        }
        return hosts;
    }

    static List<String> applied(FakeHosts hosts) {
        return PG_TEST.stream().flatMap(h -> hosts.host(h).applied().stream().map(c -> h + ": " + c)).toList();
    }

    @Test
    void a_switchover_is_shown_as_a_plan_and_asked_about_before_anything_runs() {
        FakeHosts hosts = pgTest("patroni-cluster-converged.json");
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "switchover", "-i", INV, "pg-test", "--to", "10.10.10.13");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.out().contains("10.10.10.11:\n  > switchover pg-test: pg-test-1 hands the lead to pg-test-3 (streaming, lag 0 B)"
                + " and follows it as a replica\n"), r.out());
        assertTrue(r.err().contains("not applying without confirmation"), r.err());
        assertEquals(List.of(), applied(hosts));
    }

    @Test
    void a_confirmed_switchover_runs_on_the_leader_only_with_patronis_credentials_on_stdin() {
        FakeHosts hosts = pgTest("patroni-cluster-converged.json");
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "switchover", "-i", INV, "pg-test", "--to", "pg-test-3", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        List<String> ran = applied(hosts);
        assertEquals(1, ran.size(), ran.toString());
        assertTrue(ran.get(0).startsWith("10.10.10.11: ") && ran.get(0).contains("post 10.10.10.11 switchover 120"), ran.get(0));
        assertTrue(!ran.get(0).contains("Patroni.API"), "no password on the command line");
    }

    @Test
    void a_failover_while_the_leader_runs_is_refused_and_nothing_runs() {
        FakeHosts hosts = pgTest("patroni-cluster-converged.json");
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "failover", "-i", INV, "pg-test", "-y");
        assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("pg-test-1 leads pg-test and runs: a failover is for a cluster without a healthy leader"), r.err());
        assertEquals(List.of(), applied(hosts));
    }

    @Test
    void a_failover_to_a_replica_lagging_past_pg_rpo_is_refused_and_one_within_it_promoted_on_its_host() {
        FakeHosts hosts = pgTest("patroni-cluster-leaderless.json");
        hosts.host("10.10.10.11").reachable = false;
        PigRunner.Result lagging = PigRunner.runWith(hosts, "pgsql", "failover", "-i", INV, "pg-test", "--to", "pg-test-3", "-y");
        assertEquals(ExitCodes.FAILURE, lagging.code(), lagging.toString());
        assertTrue(lagging.err().contains("past pg_rpo (1.0 MB)"), lagging.err());
        assertEquals(List.of(), applied(hosts));
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "failover", "-i", INV, "pg-test", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        List<String> ran = applied(hosts);
        assertEquals(1, ran.size(), ran.toString());
        assertTrue(ran.get(0).startsWith("10.10.10.12: ") && ran.get(0).contains("failover 120"), ran.get(0));
    }

    @Test
    void a_member_outside_the_cluster_is_refused_before_any_host_is_asked() {
        FakeHosts hosts = pgTest("patroni-cluster-converged.json");
        for (String[] args : List.of(new String[] {"restart", "-i", INV, "pg-test", "pg-test-9"},
                new String[] {"switchover", "-i", INV, "pg-test", "--to", "10.10.10.10"},
                new String[] {"reinit", "-i", INV, "pg-nope-1"})) {
            String[] all = new String[args.length + 1];
            all[0] = "pgsql";
            System.arraycopy(args, 0, all, 1, args.length);
            PigRunner.Result r = PigRunner.runWith(hosts, all);
            assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        }
        assertEquals(0, PG_TEST.stream().mapToInt(h -> hosts.host(h).factRuns.get()).sum(), "no host was asked");
    }

    @Test
    void reinit_finds_the_cluster_of_the_member_it_names() {
        FakeHosts hosts = pgTest("patroni-cluster-converged.json");
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "reinit", "-i", INV, "pg-test-2", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("> reinit pg-test-2: its data directory is removed and cloned again from pg-test-1"), r.out());
        assertTrue(applied(hosts).get(0).contains("post 10.10.10.12 reinitialize"), applied(hosts).toString());
    }

    @Test
    void pause_on_a_paused_cluster_plans_nothing() {
        FakeHosts hosts = pgTest("patroni-cluster-paused.json");
        PigRunner.Result r = PigRunner.runWith(hosts, "pgsql", "pause", "-i", INV, "pg-test", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("No changes."), r.out());
        assertEquals(List.of(), applied(hosts));
    }
}
