package dev.pig.modules.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.modules.Operation;

/** {@code pig pgsql monitor}: the port each database's exporter gets, and what is written where. */
class RemoteMonitorTest {
    static final Secret URL = new Secret("postgres://dbuser_monitor:S3cret.Pw@203.0.113.7:5432/postgres?sslmode=require");

    @Test
    void a_monitor_keeps_its_port_a_new_one_takes_the_first_free_and_a_taken_one_is_refused() {
        Map<String, Integer> used = Map.of("rds1", 20001, "rds2", 20003);
        assertEquals(20001, RemoteMonitor.choose(used, "rds1", Optional.empty()));
        assertEquals(20002, RemoteMonitor.choose(used, "rds3", Optional.empty()));
        assertEquals(20010, RemoteMonitor.choose(used, "rds3", Optional.of(20010)));
        PigException e = assertThrows(PigException.class, () -> RemoteMonitor.choose(used, "rds3", Optional.of(20003)));
        assertTrue(e.getMessage().contains("rds2"), e.getMessage());
    }

    @Test
    void the_ports_are_read_from_the_monitors_files_and_nothing_else() {
        assertEquals(Map.of("rds1", 20001, "rds-2", 20002), new RemoteMonitor.Ports().parse("rds1 20001\nrds-2 20002\n../x 1\nbad\nrds3 \n"));
    }

    @Test
    void the_url_goes_into_a_file_only_root_reads_and_the_database_is_registered_as_job_pgsql() {
        InfraFixtures f = InfraFixtures.own();
        Operation op = RemoteMonitor.add(f.ctx, "rds1", URL, Optional.empty(), Optional.empty());
        Node infra = f.model.node("10.10.10.10").orElseThrow();
        List<dev.pig.core.fact.FactSection<?>> sections = new InfraModule().factSections(f.ctx);
        String out = InfraFixtures.read("node/facts/debian12-fresh.out") + "@@pig:section ext:infra.pg-monitors\nrds0 20001\n";
        HostFacts probed = new FactGatherer(sections).parse(infra.address(), op.probe().get(infra), out);
        Operation.Work w = op.work(new Gathered(Map.of(infra.address(), probed), Map.of()));
        assertEquals(List.of("Monitoring rds1 (203.0.113.7) from infra-1, port 20002."), w.notes());
        List<Task> tasks = w.tasks().get(infra);
        HostPlan p = Planner.planFromFacts(new FactGatherer(sections).parse(infra.address(), Planner.request(tasks),
                InfraFixtures.read("node/facts/debian12-fresh.out")), tasks, Masker.none());
        Step.Upload env = InfraFixtures.uploadsOf(p).get("/etc/pig/pg-monitor/rds1.env");
        assertEquals("0600 root:root", env.mode() + " " + env.owner() + ":" + env.group());
        String content = new String(env.content(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(content.contains("DATA_SOURCE_NAME='" + URL.reveal() + "'") && content.contains("--web.listen-address=:20002"), content);
        Change.Act file = (Change.Act) p.changes().stream().filter(c -> c.task().equals("file /etc/pig/pg-monitor/rds1.env")).findFirst().orElseThrow();
        assertEquals("", file.diff());
        String target = InfraFixtures.uploads(p).get("/data/infra/targets/pgrds/rds1.yml");
        assertTrue(target.startsWith("# targets/pgrds/rds1: monitored by pig (pg_monitor)"), target);
        assertTrue(target.contains("    job: 'pgsql'\n    cls: 'rds1'\n    ins: 'rds1'\n    ip: '203.0.113.7'\n")
                && target.contains("targets: [ '10.10.10.10:20002' ]"), target);
        assertTrue(w.tasks().containsKey(f.model.node("10.10.10.20").orElseThrow()), "every infra node keeps the registration");
        for (String path : List.of("/etc/pig/pg-monitor/rds1.env", "/etc/systemd/system/pg-monitor@.service", "/data/infra/targets/pgrds/rds1.yml")) {
            dev.pig.modules.Golden.check("infra/golden/monitor/" + path.substring(1).replace('/', '_'), InfraFixtures.uploads(p).get(path));
        }
        for (Change c : p.changes()) {
            if (c instanceof Change.Act a) {
                a.steps().stream().filter(s -> s instanceof Step.Exec).forEach(s -> assertTrue(!((Step.Exec) s).command().contains("S3cret"), s.toString()));
            }
        }
    }

    @Test
    void a_url_pig_cannot_read_is_refused_with_how_to_write_it() {
        PigException e = assertThrows(PigException.class, () -> RemoteMonitor.host(new Secret("postgres://u:p w@h/db")));
        assertTrue(e.getMessage().contains("percent-encoded"), e.getMessage());
    }
}
