package dev.pig.modules.infra;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.HostVars;

/**
 * Grafana with VictoriaMetrics as its datasource and pig's dashboards ({@link #DASHBOARDS}),
 * provisioned as files from {@code infra_data/dashboards}. Grafana is not in Debian: it is
 * installed only when a package source of the node offers it (the {@code grafana} entry of
 * {@code repo_upstream}, module {@code infra}, in the node's {@code node_repo_modules}), and
 * skipped with one line otherwise. The dashboards are written either way, for a Grafana
 * installed later and for the tests, which run every panel's query against VictoriaMetrics.
 */
final class Grafana {
    static final String UNIT = "grafana-server.service";
    static final String INI = "/etc/grafana/grafana.ini";
    static final String DATASOURCE = "/etc/grafana/provisioning/datasources/pig.yml";
    static final String PROVIDER = "/etc/grafana/provisioning/dashboards/pig.yml";
    /** Whether the node can install grafana: installed already, or offered by one of its package sources. */
    static final String AVAILABLE = "{ command -v apt-cache >/dev/null && apt-cache policy grafana 2>/dev/null | grep -q 'Candidate: [0-9]'; }"
            + " || { command -v dnf >/dev/null && dnf -q list grafana >/dev/null 2>&1; }";
    /** pig's dashboards under {@code templates/infra/dashboards/}, by file name. */
    static final List<String> DASHBOARDS = List.of("pig-overview.json", "pig-cluster.json", "pig-instance.json", "pig-activity.json",
            "pig-replication.json", "pig-pgbouncer.json", "pig-backup.json", "pig-node.json", "pig-etcd.json", "pig-haproxy.json",
            "pig-alerts.json");

    private Grafana() {
    }

    static List<Task> tasks(Infra infra) {
        List<Task> out = new ArrayList<>();
        for (String d : DASHBOARDS) {
            out.add(new FileTask(infra.dashboards() + "/" + d, infra.ctx().templates().file("infra/dashboards/" + d).getBytes(StandardCharsets.UTF_8),
                    "0644", "root", "root", "grafana", false));
        }
        out.add(new Setup(infra, server(infra)));
        return out;
    }

    /** Grafana itself: the package, its ini (the admin password is in it), the provisioning files, the unit. */
    private static List<Task> server(Infra infra) {
        HostVars v = infra.v();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infra_name", infra.name());
        m.put("grafana_port", v.integer("grafana_port"));
        m.put("grafana_admin_username", v.str("grafana_admin_username"));
        m.put("grafana_admin_password", v.secret("grafana_admin_password").reveal());
        m.put("vmetrics_url", "http://127.0.0.1:" + v.integer("vmetrics_port"));
        m.put("dashboards", infra.dashboards());
        return List.of(
                new PackagesTask("grafana", List.of("grafana"), "grafana"),
                infra.ctx().file(INI, "infra/grafana.ini.ftl", m, "0640", "root", "grafana", "grafana", true),
                infra.ctx().file(DATASOURCE, "infra/grafana-datasource.yml.ftl", m, "0644", "root", "root", "grafana", false),
                infra.ctx().file(PROVIDER, "infra/grafana-dashboards.yml.ftl", m, "0644", "root", "root", "grafana", false),
                new UnitTask(UNIT, true, true, List.of(INI, DATASOURCE, PROVIDER), List.of(), "grafana"));
    }

    /**
     * Grafana's tasks as one: planned in order when the node can install it, else a single
     * no-op that says how to make it installable.
     */
    static final class Setup extends BaseTask {
        private final Infra infra;
        private final List<Task> tasks;

        Setup(Infra infra, List<Task> tasks) {
            super("grafana", "grafana");
            this.infra = infra;
            this.tasks = List.copyOf(tasks);
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.checks(AVAILABLE);
            tasks.forEach(t -> t.require(facts));
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            if (!facts.check(AVAILABLE)) {
                return noop("grafana is skipped: no package source of " + infra.name() + " offers it (Debian has none); add the"
                        + " repo_upstream entry 'grafana' (module infra) to its node_repo_modules to install it. The dashboards are"
                        + " in " + infra.dashboards());
            }
            List<Step> steps = new ArrayList<>();
            List<String> what = new ArrayList<>();
            List<String> same = new ArrayList<>();
            Action action = Action.UPDATE;
            for (Task t : tasks) {
                Change c = t.plan(facts, ctx);
                if (c instanceof Change.Act a) {
                    steps.addAll(a.steps());
                    what.add(a.summary());
                    if (t instanceof PackagesTask && a.action() == Action.CREATE) {
                        action = Action.CREATE;
                    }
                } else if (c instanceof Change.NoOp n) {
                    same.add(n.reason());
                }
            }
            if (steps.isEmpty()) {
                return noop("grafana: " + String.join("; ", same));
            }
            return act(action, String.join("; ", what), steps, "");
        }
    }
}
