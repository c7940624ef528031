package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Extensions by Pigsty's names on the running pg-test: {@code pg_extensions} installs their
 * packages on every member, {@code pg_libs} preloads pg_cron with a rolling restart,
 * {@code pg_databases[].extensions} creates them; a name with no package for Debian 12 and
 * PostgreSQL 15, or whose package no source of the nodes has, is refused at plan time with
 * nothing changed; {@code pig pgsql ext} installs one more. Each step is followed by a plan that
 * must be empty.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlExtensionsIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
    /** pg-test with postgis and pg_cron, pg_cron preloaded and scheduling in the test database. */
    static final String EXTENSIONS = "        pg_extensions: [ postgis, pg_cron ]\n"
            + "        pg_libs: 'pg_cron, pg_stat_statements, auto_explain'\n"
            + "        pg_parameters: { cron.database_name: test }\n";

    static Path inventory(String vars, String databases) throws IOException {
        Path inv = Files.createTempFile("pgsql-ext", ".yml");
        String text = Files.readString(Path.of(INV));
        String before = "        pg_databases:\n          - { name: test }\n";
        assertTrue(text.contains(before), "the sandbox inventory's pg-test databases moved");
        Files.writeString(inv, text.replace("        pg_cluster: pg-test\n", "        pg_cluster: pg-test\n" + vars)
                .replace(before, "        pg_databases:\n          - " + databases + "\n"));
        inv.toFile().deleteOnExit();
        return inv;
    }

    /** The size of the node's dpkg log: it grows with any package change. */
    static String dpkgLog(SandboxExtension.Lab lab, String node) {
        return lab.sh(node, "stat -c %s /var/log/dpkg.log");
    }

    static void assertConverged(Path inv) {
        Pig again = Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode");
        assertEquals(0, again.exit(), "a second run plans nothing:\n" + again.out() + again.err());
    }

    @Test
    @Order(1)
    void an_extension_with_no_package_for_the_release_is_refused_at_plan_time_and_nothing_changes(SandboxExtension.Lab lab)
            throws IOException {
        Path inv = inventory("        pg_extensions: [ postgis, timescaledb ]\n", "{ name: test }");
        List<String> before = PG_TEST.stream().map(n -> dpkgLog(lab, n)).toList();
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-l", "pg-test", "-y");
        assertEquals(1, deploy.exit(), deploy.out() + deploy.err());
        for (String n : PG_TEST) {
            assertTrue(deploy.out().contains(n + ": ! pg_extensions cannot be installed on Debian GNU/Linux 12 (bookworm) with"
                    + " PostgreSQL 15:\n  - timescaledb has no package for PostgreSQL 15 on Debian 12 (bookworm)"), deploy.out());
        }
        // the infra node is in the run too, for pg-test's registrations: planned, and left alone
        assertTrue(deploy.err().contains("3 of 4 host(s) could not be planned; nothing was changed"), deploy.err());
        assertEquals(before, PG_TEST.stream().map(n -> dpkgLog(lab, n)).toList(), "no package changed");
    }

    @Test
    @Order(2)
    void a_package_none_of_the_nodes_sources_has_is_refused_at_plan_time(SandboxExtension.Lab lab) throws IOException {
        // pgvector is packaged for PostgreSQL 15 by PGDG only, which the sandbox nodes do not use
        Path inv = inventory("        pg_extensions: [ pgvector ]\n", "{ name: test }");
        Pig plan = Pig.run("plan", "-i", inv.toString(), "-l", "pg-test");
        assertEquals(1, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("  - pgvector: package postgresql-15-pgvector is in none of this host's package sources"
                + " (it comes from PGDG, apt.postgresql.org: add it with repo_upstream and node_repo_modules)"), plan.out());
    }

    @Test
    @Order(3)
    void one_deploy_installs_preloads_with_a_rolling_restart_and_creates_the_extensions(SandboxExtension.Lab lab) throws IOException {
        Path inv = inventory(EXTENSIONS, "{ name: test, extensions: [ postgis, pg_cron ] }");
        Pig plan = Pig.run("plan", "-i", inv.toString(), "-l", "pg-test", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("+ install postgresql-15-postgis-3 postgresql-15-cron (pg_extensions)"), plan.out());
        assertTrue(plan.out().contains("~ restart pg-test (shared_preload_libraries"), plan.out());
        assertTrue(plan.out().contains("+ extensions pg_cron in test once the restart preloads them"), plan.out());

        long t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-l", "pg-test", "-y");
        System.out.printf("pgsql extensions: postgis and pg_cron installed, preloaded, created: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        for (String n : PG_TEST) {
            lab.sh(n, "dpkg-query -W postgresql-15-postgis-3 postgresql-15-cron");
            assertTrue(lab.psql(n, "postgres", "SHOW shared_preload_libraries").contains("pg_cron"), n);
        }
        String leader = leader(lab);
        assertTrue(lab.psql(leader, "test", "SELECT postgis_lib_version()").startsWith("3."));
        assertTrue(Long.parseLong(lab.psql(leader, "test", "SELECT cron.schedule('pig-ext-check', '* * * * *', 'SELECT 1')")) > 0);
        String replica = PG_TEST.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        lab.sh(replica, "for i in $(seq 30); do su -s /bin/sh postgres -c \"psql -d test -AtXqc"
                + " \\\"SELECT count(*) FROM cron.job WHERE jobname = 'pig-ext-check'\\\"\" | grep -qx 1 && exit 0; sleep 1; done; exit 1");
        assertConverged(inv);
    }

    @Test
    @Order(4)
    void pgsql_ext_installs_a_named_extension_on_every_member(SandboxExtension.Lab lab) throws IOException {
        Path inv = inventory(EXTENSIONS, "{ name: test, extensions: [ postgis, pg_cron ] }");
        Pig ext = Pig.run("pgsql", "ext", "-i", inv.toString(), "pg-test", "hypopg", "-y");
        assertEquals(0, ext.exit(), ext.out() + ext.err());
        assertTrue(ext.out().contains("Add hypopg to pg_extensions of pg-test"), ext.out());
        for (String n : PG_TEST) {
            lab.sh(n, "dpkg-query -W postgresql-15-hypopg");
        }
        Pig again = Pig.run("pgsql", "ext", "-i", inv.toString(), "pg-test", "hypopg", "-y");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("No changes."), again.out());
        assertConverged(inv);
    }

    static String leader(SandboxExtension.Lab lab) throws IOException {
        return PgsqlRestartIT.leader(lab).equals("pg-test-1") ? "10.10.10.11"
                : PgsqlRestartIT.leader(lab).equals("pg-test-2") ? "10.10.10.12" : "10.10.10.13";
    }
}
