package dev.pig.modules.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.core.task.ValidatedFile;
import dev.pig.modules.HostVars;

/**
 * Alertmanager ({@code prometheus-alertmanager}) and the blackbox exporter
 * ({@code prometheus-blackbox-exporter}), from Debian. Alertmanager groups what vmalert sends by
 * alert, cluster and instance, lets a critical alert of an instance hold back its warnings, and
 * routes as {@code alertmanager_routes} says to {@code alertmanager_receivers}; what no route
 * takes goes to the receiver {@code pig}, which notifies nobody (the alerts are still listed,
 * silenced and answered by {@code pig status}). With several infra nodes each Alertmanager runs
 * on its own ({@code --cluster.listen-address=} empty): vmalert notifies all of them, and without
 * gossip each one sends its own notifications.
 */
final class Alerting {
    static final String ALERTMANAGER_UNIT = "prometheus-alertmanager.service";
    static final String ALERTMANAGER_DEFAULTS = "/etc/default/prometheus-alertmanager";
    static final String BLACKBOX_UNIT = "prometheus-blackbox-exporter.service";
    static final String BLACKBOX_DEFAULTS = "/etc/default/prometheus-blackbox-exporter";
    /** ICMP probes need a raw socket, which the prometheus user lacks. */
    static final String BLACKBOX_DROPIN = "/etc/systemd/system/prometheus-blackbox-exporter.service.d/pig.conf";

    private Alerting() {
    }

    static List<Task> alertmanager(Infra infra) {
        HostVars v = infra.v();
        List<String> args = new ArrayList<>(List.of("--config.file=" + infra.alertmanagerConfig(), "--storage.path=" + infra.alertmgr(),
                "--web.listen-address=:" + v.integer("alertmanager_port"), "--web.external-url=" + infra.url("alertmanager_port") + "/",
                "--cluster.listen-address="));
        if (!v.str("alertmanager_options").isBlank()) {
            args.add(v.str("alertmanager_options").strip());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infra_name", infra.name());
        m.put("args", String.join(" ", args));
        // receivers may hold credentials (a webhook token, an SMTP password): readable by Alertmanager only, never shown
        FileTask config = new FileTask(infra.alertmanagerConfig(), config(infra).getBytes(java.nio.charset.StandardCharsets.UTF_8), "0640",
                "root", Infra.PROM_USER, "alertmanager", true);
        return List.of(
                infra.ctx().file(ALERTMANAGER_DEFAULTS, "infra/alertmanager.default.ftl", m, "0644", "root", "root", "alertmanager", false),
                new ValidatedFile(config, "amtool check-config"),
                new UnitTask(ALERTMANAGER_UNIT, true, true, List.of(ALERTMANAGER_DEFAULTS), List.of(infra.alertmanagerConfig()), "alertmanager"));
    }

    /** alertmanager.yml: pig's route and inhibitions, the inventory's routes and receivers, emitted by the YAML library. */
    static String config(Infra infra) {
        HostVars v = infra.v();
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("receiver", "pig");
        route.put("group_by", List.of("alertname", "cls", "ins"));
        route.put("group_wait", "30s");
        route.put("group_interval", "5m");
        route.put("repeat_interval", "4h");
        Object routes = v.raw("alertmanager_routes");
        if (routes instanceof List<?> l && !l.isEmpty()) {
            route.put("routes", l);
        }
        List<Object> receivers = new ArrayList<>();
        receivers.add(Map.of("name", "pig"));
        if (v.raw("alertmanager_receivers") instanceof List<?> l) {
            receivers.addAll(l);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("route", route);
        root.put("receivers", receivers);
        root.put("inhibit_rules", List.of(
                inhibit("severity=\"CRIT\"", "severity=~\"WARN|INFO\""),
                inhibit("severity=\"WARN\"", "severity=\"INFO\"")));
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setWidth(Integer.MAX_VALUE).setSplitLines(false)
                .build();
        return "# Alertmanager of " + infra.name() + ": managed by pig (alertmanager), changes are overwritten\n"
                + "# routes and receivers: alertmanager_routes and alertmanager_receivers of the inventory\n"
                + new Dump(settings).dumpToString(root);
    }

    /** While an alert of {@code source} fires for an instance, its alerts of {@code target} are held back. */
    private static Map<String, Object> inhibit(String source, String target) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_matchers", List.of(source));
        m.put("target_matchers", List.of(target));
        m.put("equal", List.of("cls", "ins"));
        return m;
    }

    static List<Task> blackbox(Infra infra) {
        HostVars v = infra.v();
        List<String> args = new ArrayList<>(List.of("--config.file=" + infra.blackboxConfig(), "--web.listen-address=:" + v.integer("blackbox_port")));
        if (!v.str("blackbox_options").isBlank()) {
            args.add(v.str("blackbox_options").strip());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infra_name", infra.name());
        m.put("args", String.join(" ", args));
        return List.of(
                new ValidatedFile(infra.ctx().file(infra.blackboxConfig(), "infra/blackbox.yml.ftl", m, "0644", "root", "root", "blackbox", false),
                        "prometheus-blackbox-exporter --config.check --config.file"),
                infra.ctx().file(BLACKBOX_DEFAULTS, "infra/blackbox.default.ftl", m, "0644", "root", "root", "blackbox", false),
                new DirectoryTask(BLACKBOX_DROPIN.substring(0, BLACKBOX_DROPIN.lastIndexOf('/')), "0755", "root", "root", "blackbox"),
                infra.ctx().file(BLACKBOX_DROPIN, "infra/blackbox-raw.conf.ftl", m, "0644", "root", "root", "blackbox", false),
                new UnitTask(BLACKBOX_UNIT, true, true, List.of(BLACKBOX_DEFAULTS, BLACKBOX_DROPIN), List.of(infra.blackboxConfig()), "blackbox"));
    }
}
