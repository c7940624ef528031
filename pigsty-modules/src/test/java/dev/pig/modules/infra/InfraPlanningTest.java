package dev.pig.modules.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.exec.Planner;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.modules.Deployment;

/**
 * INFRA planned from recorded facts: a fresh infra node installs the stack and skips Grafana in
 * one line, a converged one plans nothing, configuration changes reload what can reload, and the
 * registry follows deploys and removals of other modules' instances on every infra node, whether
 * the run selects it or not.
 */
class InfraPlanningTest {
    static final String INFRA = "10.10.10.10";

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }

    static String registrySection(Set<String> paths) {
        return paths.stream().sorted().map(p -> p + "\n").collect(Collectors.joining());
    }

    /** The facts of {@code host} once {@code d}'s plan of it from a fresh host is applied, with the registry as that plan leaves it. */
    static String converged(InfraFixtures f, Deployment d, String host, Map<String, Integer> checks) {
        HostPlan fresh = InfraFixtures.plan(d, host, "");
        List<Task> tasks = InfraFixtures.tasksOn(d, host);
        Set<String> registered = InfraFixtures.uploads(fresh).keySet().stream()
                .filter(p -> p.startsWith("/data/infra/targets/") || p.startsWith("/etc/hosts.d/") && !p.equals("/etc/hosts.d/default"))
                .collect(Collectors.toSet());
        return Converged.of(InfraFixtures.read("node/facts/debian12-fresh.out"), Planner.request(tasks), fresh, checks,
                Map.of(Registry.Files.of(Infra.find(f.ctx, f.model.node(host).orElseThrow()).orElseThrow()).name(),
                        registrySection(registered)));
    }

    static HostPlan planFrom(Deployment d, String host, String facts) {
        List<Task> tasks = InfraFixtures.tasksOn(d, host);
        return Planner.planFromFacts(new dev.pig.core.fact.FactGatherer(d.factSections()).parse(host, Planner.request(tasks), facts), tasks,
                dev.pig.core.plan.Masker.none());
    }

    @Test
    void a_fresh_infra_node_installs_the_stack_and_skips_grafana_in_one_line() {
        InfraFixtures f = InfraFixtures.sandbox();
        HostPlan p = InfraFixtures.plan(f.deployment(INFRA, Set.of("infra"), false), INFRA, "");
        Change.Act pkgs = assertInstanceOf(Change.Act.class, change(p, "packages infra"));
        for (String pkg : List.of("victoria-metrics", "prometheus-alertmanager", "prometheus-blackbox-exporter", "nginx",
                "prometheus-nginx-exporter", "dnsmasq")) {
            assertTrue(pkgs.summary().contains(pkg), pkg + " in " + pkgs.summary());
        }
        for (String unit : List.of("victoria-metrics.service", "vmalert.service", "prometheus-alertmanager.service",
                "prometheus-blackbox-exporter.service", "dnsmasq.service", "prometheus-nginx-exporter.service")) {
            Change.Act a = assertInstanceOf(Change.Act.class, change(p, "unit " + unit));
            assertTrue(a.summary().contains("start"), a.summary());
        }
        List<Change> grafana = p.changes().stream().filter(c -> c.tag().equals("grafana") && c instanceof Change.NoOp).toList();
        assertEquals(1, grafana.size(), "one line for Grafana: " + grafana);
        String reason = ((Change.NoOp) grafana.get(0)).reason();
        assertTrue(reason.startsWith("grafana is skipped: no package source of infra-1 offers it") && !reason.contains("\n"), reason);
        assertEquals(11, p.changes().stream().filter(c -> c.task().startsWith("file /data/infra/dashboards/")).count(),
                "the dashboards are written for a Grafana installed later");
        assertTrue(InfraFixtures.actions(p).contains("file /data/infra/targets/pgsql/pg-test-1.yml"), "the registry is complete");
        // nginx installs its default site in this run, after the facts were read: it goes anyway
        Change.Act site = assertInstanceOf(Change.Act.class, change(p, "command remove Debian's default nginx site, which nginx installs in this run"));
        assertEquals("rm -f -- /etc/nginx/sites-enabled/default", ((Step.Exec) site.steps().get(0)).command());
    }

    @Test
    void a_converged_infra_node_plans_nothing() {
        InfraFixtures f = InfraFixtures.own();
        Deployment d = f.deployment(INFRA, Set.of("infra"), false);
        HostPlan again = planFrom(d, INFRA, converged(f, d, INFRA, Map.of(Grafana.AVAILABLE, 1)));
        assertEquals(List.of(), InfraFixtures.actions(again));
        assertEquals("every file pig registered on infra-1 belongs to an instance of the inventory",
                ((Change.NoOp) change(again, "registrations no longer declared")).reason());
    }

    @Test
    void a_longer_scrape_interval_reloads_victoriametrics_and_restarts_only_vmalert_whose_flags_changed() {
        InfraFixtures before = InfraFixtures.own();
        String facts = converged(before, before.deployment(INFRA, Set.of("infra"), false), INFRA, Map.of(Grafana.AVAILABLE, 1));
        InfraFixtures after = new InfraFixtures("src-test-fixtures/infra/inventory.yml", "vmetrics_scrape_interval=30s");
        HostPlan p = planFrom(after.deployment(INFRA, Set.of("infra"), false), INFRA, facts);
        assertEquals(List.of("file /data/infra/prometheus.yml", "unit victoria-metrics.service", "file /etc/default/vmalert", "unit vmalert.service"),
                InfraFixtures.actions(p));
        Change.Act vm = (Change.Act) change(p, "unit victoria-metrics.service");
        assertEquals("unit victoria-metrics.service: reload (/data/infra/prometheus.yml changed)", vm.summary());
        assertTrue(((Change.Act) change(p, "unit vmalert.service")).summary().contains("restart"), "vmalert reads its interval from a flag");
    }

    @Test
    void a_changed_route_reloads_alertmanager_after_amtool_accepts_it(@TempDir Path dir) throws Exception {
        InfraFixtures before = InfraFixtures.own();
        String facts = converged(before, before.deployment(INFRA, Set.of("infra"), false), INFRA, Map.of(Grafana.AVAILABLE, 1));
        Path changed = dir.resolve("inventory.yml");
        Files.writeString(changed, InfraFixtures.read("infra/inventory.yml").replace("'severity=\"CRIT\"'", "'severity=\"WARN\"'"));
        InfraFixtures after = new InfraFixtures(changed.toString());
        HostPlan p = planFrom(after.deployment(INFRA, Set.of("infra"), false), INFRA, facts);
        assertEquals(List.of("file /data/infra/conf/alertmanager.yml", "unit prometheus-alertmanager.service"), InfraFixtures.actions(p));
        Change.Act file = (Change.Act) change(p, "file /data/infra/conf/alertmanager.yml");
        assertTrue(file.steps().stream().anyMatch(s -> s instanceof Step.Exec e && e.command().contains("amtool check-config")), file.steps().toString());
        assertEquals("", file.diff(), "receivers may hold credentials: no diff is shown");
        assertEquals("unit prometheus-alertmanager.service: reload (/data/infra/conf/alertmanager.yml changed)",
                ((Change.Act) change(p, "unit prometheus-alertmanager.service")).summary());
    }

    @Test
    void grafana_is_installed_with_its_datasource_and_dashboards_where_a_package_source_offers_it() {
        InfraFixtures f = InfraFixtures.sandbox();
        Deployment d = f.deployment(INFRA, Set.of("infra"), false);
        List<Task> tasks = InfraFixtures.tasksOn(d, INFRA);
        String out = Converged.of(InfraFixtures.read("node/facts/debian12-fresh.out"), Planner.request(tasks),
                InfraFixtures.plan(d, INFRA, ""), Map.of(Grafana.AVAILABLE, 0), Map.of());
        // the converged host without grafana: every file but Grafana's in place
        HostPlan p = planFrom(d, INFRA, out.replace("grafana\tii \t1.0-1\n", "grafana\tabsent\t\n")
                .replaceAll("(?m)^@@unit grafana-server.service\n(?:[A-Za-z]+=.*\n)+", ""));
        Change.Act g = assertInstanceOf(Change.Act.class, change(p, "grafana"));
        String steps = g.steps().toString();
        for (String s : List.of("install", Grafana.INI, Grafana.DATASOURCE, Grafana.PROVIDER, "systemctl start grafana-server.service")) {
            assertTrue(steps.contains(s), s + " in " + steps);
        }
        assertEquals("", g.diff(), "grafana.ini holds the admin password: no diff");
    }

    @Test
    void adding_an_instance_registers_it_on_every_infra_node_outside_the_limit() {
        InfraFixtures f = InfraFixtures.own();
        Deployment d = f.deployment("10.10.10.12", Set.of("pgsql"), false);
        for (String infra : List.of("10.10.10.10", "10.10.10.20")) {
            List<Task> tasks = InfraFixtures.tasksOn(d, infra);
            assertTrue(tasks.stream().allMatch(t -> t.tag().equals("pg_register")), infra + ": registrations only");
            // a node INFRA was never deployed on waits for INFRA's own deploy
            HostPlan fresh = InfraFixtures.plan(d, infra, "");
            assertEquals(List.of(), InfraFixtures.actions(fresh));
            assertTrue(((Change.NoOp) change(fresh, "file /data/infra/targets/pgsql/pg-test-2.yml")).reason()
                    .startsWith("INFRA is not deployed on infra-"), fresh.changes().toString());
        }
        // where it was, the instance's files are written; infra-2 runs neither dnsmasq nor... it keeps no DNS names
        String deployed = InfraFixtures.read("node/facts/debian12-fresh.out").replace("/etc/ssh\tdir",
                "/data/infra/targets\tdir\t755\troot\troot\t0\t\t\n/etc/ssh\tdir");
        HostPlan p = planFrom(d, "10.10.10.10", deployed);
        List<String> written = InfraFixtures.actions(p);
        for (String file : List.of("/data/infra/targets/pgsql/pg-test-2.yml", "/data/infra/targets/patroni/pg-test-2.yml",
                "/data/infra/targets/tcp/pg-test-2.yml", "/data/infra/targets/ping/pg-test-vip.yml", "/etc/hosts.d/pg-test-2",
                "/etc/hosts.d/pg-test")) {
            assertTrue(written.contains("file " + file), file + " in " + written);
        }
        assertFalse(written.stream().anyMatch(w -> w.contains("pg-test-1")), "the instance outside the limit is left alone: " + written);
        assertFalse(InfraFixtures.tasksOn(d, "10.10.10.20").stream().anyMatch(t -> t.name().contains("/etc/hosts.d/")),
                "infra-2 runs no dnsmasq");
    }

    /** The paths a removal run deletes on {@code infra}. */
    static List<String> deleted(Deployment d, String infra) {
        return InfraFixtures.tasksOn(d, infra).stream().map(Task::name).toList();
    }

    @Test
    void removing_a_replica_deletes_its_entries_and_keeps_what_its_cluster_shares() {
        InfraFixtures f = InfraFixtures.own();
        List<String> gone = deleted(f.deployment("10.10.10.12", Set.of("pgsql"), true), INFRA);
        assertEquals(List.of("file /data/infra/targets/pgsql/pg-test-2.yml", "file /data/infra/targets/pgbouncer/pg-test-2.yml",
                "file /data/infra/targets/patroni/pg-test-2.yml", "file /data/infra/targets/pgbackrest/pg-test-2.yml",
                "file /data/infra/targets/tcp/pg-test-2.yml", "file /etc/hosts.d/pg-test-2"), gone);
    }

    @Test
    void removing_the_whole_cluster_deletes_its_vip_probes_and_its_name_too() {
        InfraFixtures f = InfraFixtures.own();
        List<String> gone = deleted(f.deployment("pg-test", Set.of("pgsql"), true), INFRA);
        for (String file : List.of("/data/infra/targets/pgsql/pg-test-1.yml", "/data/infra/targets/ping/pg-test-vip.yml",
                "/data/infra/targets/tcp/pg-test-vip.yml", "/etc/hosts.d/pg-test")) {
            assertTrue(gone.contains("file " + file), file + " in " + gone);
        }
        assertFalse(gone.stream().anyMatch(g -> g.contains("/node/")), "the nodes stay registered: " + gone);
    }

    @Test
    void removing_a_node_deletes_its_exporters_and_its_probe() {
        InfraFixtures f = InfraFixtures.own();
        assertEquals(List.of("file /data/infra/targets/node/10.10.10.30.yml", "file /data/infra/targets/haproxy/10.10.10.30.yml",
                "file /data/infra/targets/ping/10.10.10.30.yml"), deleted(f.deployment("10.10.10.30", Set.of("node"), true), INFRA));
    }

    @Test
    void a_deploy_of_the_whole_registry_deletes_what_pig_registered_for_instances_no_longer_in_the_inventory() {
        InfraFixtures f = InfraFixtures.own();
        Deployment d = f.deployment(INFRA, Set.of("infra"), false);
        String facts = converged(f, d, INFRA, Map.of(Grafana.AVAILABLE, 1));
        String name = Registry.Files.of(Infra.find(f.ctx, f.model.node(INFRA).orElseThrow()).orElseThrow()).name();
        String stale = facts.replace("@@pig:section ext:" + name + "\n", "@@pig:section ext:" + name + "\n"
                + "/data/infra/targets/pgsql/pg-old-1.yml\n/etc/hosts.d/pg-old-1\n/data/infra/targets/../../etc/passwd.yml\n");
        HostPlan p = planFrom(d, INFRA, stale);
        Change.Act a = assertInstanceOf(Change.Act.class, change(p, "registrations no longer declared"));
        assertEquals(List.of("rm -f -- /data/infra/targets/pgsql/pg-old-1.yml", "rm -f -- /etc/hosts.d/pg-old-1"),
                a.steps().stream().map(s -> ((Step.Exec) s).command()).toList());
    }

    @Test
    void removing_infra_stops_its_services_and_keeps_its_data() {
        InfraFixtures f = InfraFixtures.sandbox();
        Deployment d = f.deployment(INFRA, Set.of("infra"), true);
        List<String> names = deleted(d, INFRA);
        assertTrue(names.contains("unit vmalert.service") && names.contains("unit victoria-metrics.service"), names.toString());
        assertTrue(names.contains("file " + Victoria.VMALERT_UNIT_FILE), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.contains("/data/infra")), "metrics, rules and targets stay: " + names);
    }

    @Test
    void an_etcd_member_removed_by_its_operation_is_deleted_from_every_infra_node() {
        InfraFixtures f = InfraFixtures.own();
        var tasks = Deployment.deregistration(f.ctx, dev.pig.modules.Modules.all(), "etcd", List.of(f.model.node("10.10.10.11").orElseThrow()));
        assertEquals(Set.of("10.10.10.10", "10.10.10.20"), tasks.keySet().stream().map(n -> n.id()).collect(Collectors.toSet()));
        tasks.values().forEach(l -> assertEquals(List.of("file /data/infra/targets/etcd/etcd-1.yml"), l.stream().map(Task::name).toList()));
    }
}
