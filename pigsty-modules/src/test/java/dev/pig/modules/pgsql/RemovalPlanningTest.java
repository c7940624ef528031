package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;

/**
 * {@code pig pgsql rm} planned from recorded facts: the hosts of the run are the instances being
 * removed, and who leads is what Patroni reported ({@code patroni-cluster-initial.json}: pg-test-1
 * leads; {@code patroni-cluster.json}: after a failover, pg-test-2 leads).
 */
class RemovalPlanningTest {
    final ClusterModel model = ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), List.of()).model();
    final ModuleContext ctx = new ModuleContext(model, Templates.builtIn());
    final PgsqlModule pgsql = new PgsqlModule();

    /** The removal tasks of {@code host} in a run that removes {@code removed} (the host alone when none). */
    List<Task> tasks(String host, String... removed) {
        java.util.Set<String> run = removed.length == 0 ? java.util.Set.of(host) : java.util.Set.of(removed);
        return new ArrayList<>(pgsql.removal(ctx.removing(run), model.node(host).orElseThrow()));
    }

    HostFacts facts(String host, String patroni) throws IOException {
        String out = Files.readString(Golden.root().resolve("src-test-fixtures/node/facts/debian12-fresh.out"))
                + "@@pig:section ext:" + PatroniCluster.nameOf("pg-test") + "\n"
                + Files.readString(Golden.root().resolve("src-test-fixtures/pgsql/" + patroni))
                + "@@pig:section ext:" + PgCatalog.nameOf("pg-test") + "\n";
        return new FactGatherer(pgsql.factSections(ctx)).parse(host, Planner.request(tasks(host)), out);
    }

    /** The plans of the hosts a {@code pig pgsql rm pg-test HOST...} run covers. */
    Map<String, HostPlan> plan(String patroni, String... hosts) throws IOException {
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        for (String h : hosts) {
            fleet.put(h, facts(h, patroni));
        }
        Map<String, HostPlan> out = new LinkedHashMap<>();
        for (String h : hosts) {
            out.put(h, Planner.planFromFacts(fleet.get(h), tasks(h, hosts), Masker.none(), fleet));
        }
        return out;
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }

    /** The two "stop patroni" steps of a host's removal: with the replicas, then with the leader. */
    static List<Change> stops(HostPlan p) {
        return p.changes().stream().filter(c -> c.task().startsWith("command stop patroni")).toList();
    }

    static List<String> stopStages(HostPlan p) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < p.changes().size(); i++) {
            if (p.changes().get(i).task().startsWith("command stop patroni")) {
                out.add(p.stages().get(i));
            }
        }
        return out;
    }

    static String stageOf(HostPlan p, String task) {
        for (int i = 0; i < p.changes().size(); i++) {
            if (p.changes().get(i).task().equals(task)) {
                return p.stages().get(i);
            }
        }
        throw new AssertionError(task + " not in the plan of " + p.host());
    }

    @Test
    void a_replica_is_stopped_and_the_cluster_keys_stay() throws IOException {
        HostPlan p = plan("patroni-cluster-initial.json", "10.10.10.13").get("10.10.10.13");
        Change.Act stop = assertInstanceOf(Change.Act.class, stops(p).get(0));
        assertTrue(stop.summary().startsWith("command stop patroni on pg-test-3"), stop.summary());
        assertTrue(p.changes().stream().noneMatch(c -> c.task().contains("etcd")), "a replica has nothing to do with the etcd keys");
    }

    @Test
    void a_removed_instance_gives_up_its_vip_pool_metrics_and_services_before_patroni_stops() throws IOException {
        HostPlan p = plan("patroni-cluster-initial.json", "10.10.10.13").get("10.10.10.13");
        for (String task : List.of("unit keepalived.service", "unit pgbouncer.service", "unit pgbouncer_exporter.service",
                "unit prometheus-postgres-exporter.service", "file /etc/pgbouncer/userlist.txt", "file /etc/haproxy/pg-test-primary.cfg",
                "reload haproxy.service")) {
            assertTrue(stageOf(p, task).contains("stop replicas"), task + " in " + stageOf(p, task));
            assertTrue(p.changes().indexOf(change(p, task)) < p.changes().indexOf(stops(p).get(0)), task + " before patroni stops");
        }
    }

    @Test
    void the_whole_cluster_goes_replicas_first_and_its_keys_are_cleared_last() throws IOException {
        Map<String, HostPlan> plans = plan("patroni-cluster-initial.json", "10.10.10.11", "10.10.10.12", "10.10.10.13");
        HostPlan leader = plans.get("10.10.10.11");
        assertInstanceOf(Change.NoOp.class, stops(leader).get(0), "the leader does not stop with the replicas");
        assertInstanceOf(Change.Act.class, stops(leader).get(1));
        assertTrue(stopStages(leader).get(1).contains("stop leader"), leader.stages().toString());
        Change.Act clear = assertInstanceOf(Change.Act.class, change(leader, "command clear the etcd keys of pg-test"));
        assertTrue(clear.summary().contains("etcdctl") && clear.summary().contains("del /pg/pg-test/ --prefix"), clear.summary());
        assertTrue(stageOf(leader, "command clear the etcd keys of pg-test").compareTo(stageOf(leader, "command stop patroni")) > 0);
        for (String replica : List.of("10.10.10.12", "10.10.10.13")) {
            HostPlan p = plans.get(replica);
            assertInstanceOf(Change.Act.class, stops(p).get(0), replica + " stops in the first stage");
            assertTrue(stopStages(p).get(0).contains("stop replicas"));
        }
    }

    @Test
    void cleared_keys_are_not_cleared_again() throws IOException {
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        for (String h : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            HostFacts f = facts(h, "patroni-cluster-initial.json");
            Map<String, Integer> done = new LinkedHashMap<>();
            f.request().checks().forEach(c -> done.put(c, 0));
            fleet.put(h, new HostFacts(f.host(), f.request(), f.os(), f.hostname(), f.cpus(), f.memory(), f.disks(), f.uptimeSeconds(),
                    f.packages(), f.units(), f.files(), f.users(), f.groups(), f.sysctls(), done, f.extras(), f.fingerprint()));
        }
        HostPlan p = Planner.planFromFacts(fleet.get("10.10.10.11"), tasks("10.10.10.11", "10.10.10.11", "10.10.10.12", "10.10.10.13"),
                Masker.none(), fleet);
        Change.NoOp n = assertInstanceOf(Change.NoOp.class, change(p, "command clear the etcd keys of pg-test"));
        assertTrue(n.reason().startsWith("command clear the etcd keys of pg-test: check"), n.reason());
        assertTrue(p.actions().isEmpty(), "a removed cluster plans nothing: " + p.actions());
    }

    @Test
    void the_live_leader_is_refused_while_replicas_stay() throws IOException {
        PigException e = assertThrows(PigException.class, () -> plan("patroni-cluster.json", "10.10.10.12"));
        assertEquals(PigException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("pg-test-2 leads pg-test (as Patroni reports) and pg-test-1, pg-test-3 stay"), e.getMessage());
        assertTrue(e.getMessage().contains("Switch over first") && e.getMessage().contains("pig pgsql rm pg-test"), e.getMessage());
    }

    @Test
    void after_a_failover_the_inventory_primary_goes_as_the_replica_it_is() throws IOException {
        HostPlan p = plan("patroni-cluster.json", "10.10.10.11").get("10.10.10.11");
        assertInstanceOf(Change.Act.class, stops(p).get(0), "pg-test-1 is a replica now: it stops in the first stage");
        assertTrue(stopStages(p).get(0).contains("stop replicas"));
        Change.NoOp keys = assertInstanceOf(Change.NoOp.class, change(p, "command clear the etcd keys of pg-test"));
        assertEquals("pg-test-2, pg-test-3 stay in pg-test: its keys in etcd are still used", keys.reason());
    }

    @Test
    void after_a_failover_the_whole_cluster_stops_the_live_leader_last() throws IOException {
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
    void a_path_is_gone_only_without_a_file_a_directory_or_a_link(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException, InterruptedException {
        java.nio.file.Path data = Files.createDirectory(dir.resolve("data"));
        java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("pg"), data);
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
