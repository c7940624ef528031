package dev.pig.modules.pgsql;

import static dev.pig.modules.PlanningFixture.change;
import static dev.pig.modules.PlanningFixture.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.diag.PigException;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;

/**
 * {@code pig pgsql rm} planned from recorded facts: the hosts of the run are the instances being
 * removed, and who leads is what Patroni reported ({@code patroni-cluster-initial.json}: pg-test-1
 * leads; {@code patroni-cluster.json}: after a failover, pg-test-2 leads). More single-host cases
 * are in {@code src-test-fixtures/pgsql/cases/}.
 */
class RemovalPlanningTest {

    /** The plans of the hosts a {@code pig pgsql rm pg-test HOST...} run covers. */
    static Map<String, HostPlan> plan(String patroni, String... hosts) {
        return PgsqlFixtures.sandbox().removal().hosts(List.of(hosts), h -> PgsqlFixtures.patroni(h, patroni)).planAll();
    }

    /** The two "stop patroni" steps of a host's removal: with the replicas, then with the leader. */
    static List<Change> stops(HostPlan p) {
        return p.changes().stream().filter(c -> c.task().startsWith("command stop patroni")).toList();
    }

    static List<String> stopStages(HostPlan p) {
        return stops(p).stream().map(c -> p.stages().get(p.changes().indexOf(c))).toList();
    }

    @Test
    void a_replica_is_stopped_and_the_cluster_keys_stay() {
        HostPlan p = plan("patroni-cluster-initial.json", "10.10.10.13").get("10.10.10.13");
        Change.Act stop = assertInstanceOf(Change.Act.class, stops(p).get(0));
        assertTrue(stop.summary().startsWith("command stop patroni on pg-test-3"), stop.summary());
        assertTrue(p.changes().stream().noneMatch(c -> c.task().contains("etcd")), "a replica has nothing to do with the etcd keys");
    }

    @Test
    void a_removed_instance_gives_up_its_vip_pool_metrics_and_services_before_patroni_stops() {
        HostPlan p = plan("patroni-cluster-initial.json", "10.10.10.13").get("10.10.10.13");
        for (String task : List.of("unit keepalived.service", "unit pgbouncer.service", "unit pgbouncer_exporter.service",
                "unit prometheus-postgres-exporter.service", "file /etc/pgbouncer/userlist.txt", "file /etc/haproxy/pg-test-primary.cfg",
                "reload haproxy.service")) {
            assertTrue(stage(p, task).contains("stop replicas"), task + " in " + stage(p, task));
            assertTrue(p.changes().indexOf(change(p, task)) < p.changes().indexOf(stops(p).get(0)), task + " before patroni stops");
        }
    }

    @Test
    void the_whole_cluster_goes_replicas_first_and_its_keys_are_cleared_last() {
        Map<String, HostPlan> plans = plan("patroni-cluster-initial.json", "10.10.10.11", "10.10.10.12", "10.10.10.13");
        HostPlan leader = plans.get("10.10.10.11");
        assertInstanceOf(Change.NoOp.class, stops(leader).get(0), "the leader does not stop with the replicas");
        assertInstanceOf(Change.Act.class, stops(leader).get(1));
        assertTrue(stopStages(leader).get(1).contains("stop leader"), leader.stages().toString());
        Change.Act clear = assertInstanceOf(Change.Act.class, change(leader, "command clear the etcd keys of pg-test"));
        assertTrue(clear.summary().contains("etcdctl") && clear.summary().contains("del /pg/pg-test/ --prefix"), clear.summary());
        assertTrue(stage(leader, "command clear the etcd keys of pg-test").compareTo(stage(leader, "command stop patroni")) > 0);
        for (String replica : List.of("10.10.10.12", "10.10.10.13")) {
            HostPlan p = plans.get(replica);
            assertInstanceOf(Change.Act.class, stops(p).get(0), replica + " stops in the first stage");
            assertTrue(stopStages(p).get(0).contains("stop replicas"));
        }
    }

    @Test
    void the_live_leader_is_refused_while_replicas_stay() {
        PigException e = assertThrows(PigException.class, () -> plan("patroni-cluster.json", "10.10.10.12"));
        assertEquals(PigException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("pg-test-2 leads pg-test (as Patroni reports) and pg-test-1, pg-test-3 stay"), e.getMessage());
        assertTrue(e.getMessage().contains("Switch over first") && e.getMessage().contains("pig pgsql rm pg-test"), e.getMessage());
    }

    @Test
    void after_a_failover_the_whole_cluster_stops_the_live_leader_last() {
        Map<String, HostPlan> plans = plan("patroni-cluster.json", "10.10.10.11", "10.10.10.12", "10.10.10.13");
        HostPlan leader = plans.get("10.10.10.12");
        assertInstanceOf(Change.NoOp.class, stops(leader).get(0));
        assertInstanceOf(Change.Act.class, stops(leader).get(1), "pg-test-2 leads: it stops in the leader's stage");
        HostPlan old = plans.get("10.10.10.11");
        assertInstanceOf(Change.Act.class, stops(old).get(0), "pg-test-1 stops with the replicas");
        assertInstanceOf(Change.NoOp.class, stops(old).get(1));
        assertInstanceOf(Change.Act.class, change(old, "command clear the etcd keys of pg-test"), "the keys go once every instance is stopped");
    }

    static int shell(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", command).inheritIO().start().waitFor();
    }

    @Test
    void a_path_is_gone_only_without_a_file_a_directory_or_a_link(@TempDir Path dir) throws IOException, InterruptedException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path link = Files.createSymbolicLink(dir.resolve("pg"), data);
        assertEquals(1, shell(Removal.gone(data.toString())), "a directory is there");
        assertEquals(1, shell(Removal.gone(link.toString())), "a link to a directory is there");
        Files.delete(data);
        assertEquals(1, shell(Removal.gone(link.toString())), "a dangling link is there: /pg must go with --rm-data");
        Files.delete(link);
        assertEquals(0, shell(Removal.gone(link.toString())));
        HostPlan p = plan("patroni-cluster-initial.json", "10.10.10.13").get("10.10.10.13");
        assertTrue(p.request().checks().contains("[ ! -e /pg ] && [ ! -L /pg ]"), p.request().checks().toString());
    }
}
