package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian 13 end to end: {@code inventory-examples/sandbox-trixie.yml} (two trixie nodes, etcd on
 * the first, pg-trixie as primary and replica with PostgreSQL 17 and pgvector from trixie's own
 * archive) deployed on fresh disks by one {@code pig deploy}: the replica streams, the business
 * user reaches the primary through HAProxy and PgBouncer on either node, pgvector is installed and
 * created, and a second deploy changes and restarts nothing.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Inventory("inventory-examples/sandbox-trixie.yml")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrixieIT {
    static final String INV = SandboxExtension.repo("inventory-examples/sandbox-trixie.yml").toString();
    static final String PRIMARY = "10.10.10.21";
    static final String REPLICA = "10.10.10.22";
    static final List<String> MEMBERS = List.of(PRIMARY, REPLICA);
    static final ObjectMapper JSON = new ObjectMapper();

    /** {@code sql} as dbuser_app in database app through {@code host:port}, from the other node. */
    static String remote(SandboxExtension.Lab lab, String host, int port, String sql) {
        String from = host.equals(PRIMARY) ? REPLICA : PRIMARY;
        return lab.sh(from, "PGCONNECT_TIMEOUT=3 PGPASSWORD=DBUser.App psql -h " + host + " -p " + port
                + " -U dbuser_app -d app -AtXc \"" + sql + "\"");
    }

    /** What must not restart on a re-run: the postmaster and every unit pig manages, on each node. */
    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : MEMBERS) {
            out.put(n, lab.psql(n, "postgres", "SELECT pg_postmaster_start_time()"));
            List<String> units = n.equals(PRIMARY)
                    ? List.of("etcd", "patroni", "pgbouncer", "haproxy", "prometheus-postgres-exporter", "pgbouncer_exporter",
                    "prometheus-node-exporter")
                    : List.of("patroni", "pgbouncer", "haproxy", "prometheus-postgres-exporter", "pgbouncer_exporter",
                    "prometheus-node-exporter");
            for (String unit : units) {
                out.put(n + " " + unit, lab.sh(n, "systemctl show -p MainPID -p ActiveEnterTimestamp " + unit));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void the_nodes_boot_debian_13_from_fresh_disks(SandboxExtension.Lab lab) {
        for (String n : MEMBERS) {
            assertEquals("trixie 13", lab.sh(n, ". /etc/os-release && echo \"$VERSION_CODENAME $VERSION_ID\""), n);
            assertTrue(lab.run(n, "dpkg-query", "-W", "postgresql-17").exit() != 0, n + " has PostgreSQL before the deploy");
        }
    }

    @Test
    @Order(2)
    void one_deploy_brings_up_postgresql_17_with_a_streaming_replica(SandboxExtension.Lab lab) throws IOException {
        long t0 = System.nanoTime();
        Pig r = Pig.run("deploy", "-i", INV, "-y");
        System.out.printf("trixie: first deploy of NODE, ETCD and PGSQL on 2 Debian 13 nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.exit(), r.out() + r.err());

        JsonNode cluster = JSON.readTree(lab.sh(PRIMARY, "curl -sf http://127.0.0.1:8008/cluster"));
        assertEquals(2, cluster.path("members").size(), cluster.toString());
        for (JsonNode m : cluster.path("members")) {
            if (m.path("name").asText().equals("pg-trixie-1")) {
                assertEquals("leader", m.path("role").asText(), "the inventory's primary leads a new cluster: " + cluster);
            } else {
                assertEquals("replica", m.path("role").asText(), cluster.toString());
                // Patroni 4 says streaming where 3.0 said running
                assertEquals("streaming", m.path("state").asText(), cluster.toString());
            }
        }
        assertEquals("streaming", lab.psql(PRIMARY, "postgres", "SELECT state FROM pg_stat_replication"));
        assertEquals("streaming", lab.psql(REPLICA, "postgres", "SELECT status FROM pg_stat_wal_receiver"));
        for (String n : MEMBERS) {
            assertTrue(lab.psql(n, "postgres", "SHOW server_version_num").startsWith("17"), n);
            assertEquals("/data/postgres/pg-trixie-17", lab.sh(n, "readlink /pg"), n);
            assertTrue(lab.sh(n, "patroni --version").startsWith("patroni 4."), n + ": trixie's Patroni");
        }
        assertTrue(lab.sh(PRIMARY, "etcd --version").contains("etcd Version: 3.5."), "trixie's etcd");
        assertTrue(lab.run(PRIMARY, "test", "-e", "/etc/postgresql/17/main").exit() != 0, "Debian's own cluster was made");
    }

    @Test
    @Order(3)
    void the_business_user_reaches_the_primary_through_haproxy_and_pgbouncer_on_either_node(SandboxExtension.Lab lab) {
        for (String member : MEMBERS) {
            assertEquals("f|dbuser_app|app", remote(lab, member, 5433, "SELECT pg_is_in_recovery(), current_user, current_database()"),
                    "the primary service (HAProxy 5433) on " + member);
            assertEquals("t", remote(lab, member, 5434, "SELECT pg_is_in_recovery()"), "the replica service (5434) on " + member);
            assertEquals("dbuser_app|app", remote(lab, member, 6432, "SELECT current_user, current_database()"),
                    "PgBouncer on " + member);
        }
        for (String n : MEMBERS) {
            assertTrue(lab.sh(n, "curl -sf http://127.0.0.1:9630/metrics").contains("\npg_up 1"), n + ": postgres exporter");
            assertTrue(lab.sh(n, "curl -sf http://127.0.0.1:9631/metrics").contains("pgbouncer_up 1"), n + ": pgbouncer exporter");
        }
    }

    @Test
    @Order(4)
    void pgvector_from_trixies_archive_is_installed_and_created(SandboxExtension.Lab lab) {
        for (String n : MEMBERS) {
            lab.sh(n, "dpkg-query -W postgresql-17-pgvector");
        }
        assertTrue(lab.psql(PRIMARY, "app", "SELECT extversion FROM pg_extension WHERE extname = 'vector'").startsWith("0."));
        assertEquals("1", remote(lab, PRIMARY, 5433, "SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector"));
        assertEquals("1", remote(lab, REPLICA, 5434, "SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector"), "on the replica too");
    }

    @Test
    @Order(5)
    void a_second_deploy_changes_nothing_and_restarts_nothing(SandboxExtension.Lab lab) {
        Map<String, String> before = startTimes(lab);
        long t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        System.out.printf("trixie: no-op deploy: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, startTimes(lab));
    }
}
