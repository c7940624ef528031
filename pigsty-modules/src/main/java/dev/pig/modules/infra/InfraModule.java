package dev.pig.modules.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pig.core.fact.FactSection;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.task.Absent;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Guarded;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Staged;
import dev.pig.core.task.SymlinkTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.core.task.ValidatedFile;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Registered;
import dev.pig.modules.Registrar;
import dev.pig.modules.Registration;

/**
 * INFRA: the observability stack of the {@code infra} group, and the registry of what the other
 * modules' instances publish to it.
 *
 * <pre>
 * infra:
 *   hosts:
 *     10.10.10.10: { infra_seq: 1 }
 *   vars:
 *     vmetrics_scrape_interval: 10s
 *     vmetrics_options: '-retentionPeriod=7d -promscrape.fileSDCheckInterval=5s'
 *     alertmanager_receivers: [ { name: oncall, webhook_configs: [ { url: 'http://10.10.10.1:5001/' } ] } ]
 *     alertmanager_routes:    [ { matchers: [ 'severity="CRIT"' ], receiver: oncall } ]
 * </pre>
 *
 * Each infra node runs VictoriaMetrics (Debian's {@code victoria-metrics}), scraping every file
 * under {@code /infra/targets/}; vmalert with pig's recording and alerting rules, notifying
 * Alertmanager ({@code prometheus-alertmanager}); the blackbox exporter for probes of VIPs, nodes
 * and service ports; nginx with the portal, a home page listing every cluster; dnsmasq answering
 * the names of {@code dns_records} and of every registered instance; and Grafana with pig's
 * dashboards when a package source of the node offers it (Grafana is not in Debian). This class
 * is the module's stage list, one section per Pigsty tag; the registry is in {@link Registry},
 * the portal in {@link Portal}, the stack's files in {@link Victoria}, {@link Alerting} and
 * {@link Grafana}. A changed configuration reloads what can reload (VictoriaMetrics, vmalert,
 * Alertmanager, the blackbox exporter, nginx) and restarts only what cannot; registering or
 * deleting an instance touches one file that the services pick up by themselves.
 */
public final class InfraModule implements Registrar, Registered {
    static final String REGISTER_TAG = "infra_register";
    static final String DNSMASQ_CONF = "/etc/dnsmasq.d/pig.conf";
    static final String DNS_DEFAULT = Infra.HOSTS_DIR + "/default";
    static final String NGINX_CONF = "/etc/nginx/conf.d/pig-portal.conf";
    /** Debian's default site claims port 80 as its default server: the portal takes its place. */
    static final String NGINX_DEBIAN_SITE = "/etc/nginx/sites-enabled/default";
    static final String NGINX_EXPORTER_DEFAULTS = "/etc/default/prometheus-nginx-exporter";

    @Override
    public String name() {
        return Stage.MODULE;
    }

    @Override
    public int order() {
        return Stage.ORDER;
    }

    @Override
    public List<String> tags() {
        return List.of("infra_pkg", "infra_dir", "dns", "vmetrics", "vmalert", "alertmanager", "blackbox", "grafana", "nginx",
                REGISTER_TAG);
    }

    @Override
    public String registerTag() {
        return REGISTER_TAG;
    }

    @Override
    public List<Node> hosts(ClusterModel model) {
        return model.infra().stream().map(i -> model.node(i.ip()).orElseThrow()).toList();
    }

    @Override
    public List<FactSection<?>> factSections(ModuleContext ctx) {
        Set<String> seen = new LinkedHashSet<>();
        List<FactSection<?>> out = new ArrayList<>();
        for (Infra i : Infra.all(ctx)) {
            Registry.Files f = Registry.Files.of(i);
            if (seen.add(f.name())) {
                out.add(f);
            }
        }
        out.addAll(Status.sections(ctx));
        out.add(RemoteMonitor.section());
        return out;
    }

    @Override
    public List<Staged> tasks(ModuleContext ctx, Node node) {
        Infra infra = Infra.find(ctx, node).orElseThrow(() -> new IllegalArgumentException(node.id() + " is no infra node"));
        HostVars v = infra.v();
        List<Staged> out = new ArrayList<>();

        // ---------------------------------------------------------------- infra_pkg
        out.add(Stage.of(1, "packages", new PackagesTask("infra", packages(v), "infra_pkg", ModuleContext.PACKAGE_BATCH)));

        // ---------------------------------------------------------------- infra_dir
        // root's, but for the data of the services that write there
        out.add(Stage.of(2, "dirs", new DirectoryTask(infra.data(), "0755", "root", "root", "infra_dir")));
        if (!infra.data().equals(Infra.LINK)) {
            out.add(Stage.of(2, "dirs", new SymlinkTask(Infra.LINK, infra.data(), "infra_dir")));
        }
        for (String d : List.of(infra.conf(), infra.rules(), infra.targets(), infra.dashboards())) {
            out.add(Stage.of(2, "dirs", new DirectoryTask(d, "0755", "root", "root", "infra_dir")));
        }
        if (v.bool("vmetrics_enabled")) {
            out.add(Stage.of(2, "dirs", new DirectoryTask(infra.metrics(), "0700", Infra.VM_USER, Infra.VM_USER, "infra_dir")));
        }
        if (v.bool("alertmanager_enabled")) {
            out.add(Stage.of(2, "dirs", new DirectoryTask(infra.alertmgr(), "0700", Infra.PROM_USER, Infra.PROM_USER, "infra_dir")));
        }

        // ---------------------------------------------------------------- dns
        dns(infra).forEach(t -> out.add(Stage.of(3, "dns", t)));

        // ---------------------------------------------------------------- vmetrics
        // changed targets are re-read by VictoriaMetrics itself; a changed scrape config reloads it
        if (v.bool("vmetrics_enabled")) {
            Victoria.metrics(infra).forEach(t -> out.add(Stage.of(4, "vmetrics", t)));
        } else {
            out.add(Stage.of(4, "vmetrics", new Skip("victoria-metrics", "vmetrics", "vmetrics_enabled is false")));
        }

        // ---------------------------------------------------------------- vmalert
        if (v.bool("vmalert_enabled")) {
            Victoria.alert(infra).forEach(t -> out.add(Stage.of(5, "vmalert", t)));
        } else {
            out.add(Stage.of(5, "vmalert", new Skip("vmalert", "vmalert", "vmalert_enabled is false")));
        }

        // ---------------------------------------------------------------- alertmanager
        if (v.bool("alertmanager_enabled")) {
            Alerting.alertmanager(infra).forEach(t -> out.add(Stage.of(6, "alertmanager", t)));
        } else {
            out.add(Stage.of(6, "alertmanager", new Skip("alertmanager", "alertmanager", "alertmanager_enabled is false")));
        }

        // ---------------------------------------------------------------- blackbox
        if (v.bool("blackbox_enabled")) {
            Alerting.blackbox(infra).forEach(t -> out.add(Stage.of(7, "blackbox", t)));
        } else {
            out.add(Stage.of(7, "blackbox", new Skip("blackbox_exporter", "blackbox", "blackbox_enabled is false")));
        }

        // ---------------------------------------------------------------- grafana
        if (v.bool("grafana_enabled")) {
            Grafana.tasks(infra).forEach(t -> out.add(Stage.of(8, "grafana", t)));
        } else {
            out.add(Stage.of(8, "grafana", new Skip("grafana", "grafana", "grafana_enabled is false")));
        }

        // ---------------------------------------------------------------- nginx
        if (v.bool("nginx_enabled")) {
            nginx(infra).forEach(t -> out.add(Stage.of(9, "nginx", t)));
        } else {
            out.add(Stage.of(9, "nginx", new Skip("nginx", "nginx", "nginx_enabled is false")));
        }

        // ---------------------------------------------------------------- infra_register
        // stage 10: the registry itself, written for every module by register()
        return out;
    }

    /** {@code infra_packages}, else what the enabled parts of the stack come in. */
    static List<String> packages(HostVars v) {
        if (v.raw("infra_packages") != null) {
            Set<String> out = new LinkedHashSet<>();
            for (String line : v.strings("infra_packages")) {
                for (String p : line.split("[,\\s]+")) {
                    if (!p.isBlank()) {
                        out.add(p.strip());
                    }
                }
            }
            return List.copyOf(out);
        }
        List<String> out = new ArrayList<>();
        if (v.bool("vmetrics_enabled") || v.bool("vmalert_enabled")) {
            out.add("victoria-metrics"); // VictoriaMetrics, vmalert and vmagent in one package
        }
        if (v.bool("alertmanager_enabled")) {
            out.add("prometheus-alertmanager");
        }
        if (v.bool("blackbox_enabled")) {
            out.add("prometheus-blackbox-exporter");
        }
        if (v.bool("nginx_enabled")) {
            out.add("nginx");
            if (v.bool("nginx_exporter_enabled")) {
                out.add("prometheus-nginx-exporter");
            }
        }
        if (v.bool("dns_enabled")) {
            out.add("dnsmasq");
        }
        out.add("curl"); // the readiness waits of the stack's units
        return out;
    }

    // ---------------------------------------------------------------- dns

    /**
     * dnsmasq answering on the node's IP and loopback: {@code dns_records} in
     * {@code /etc/hosts.d/default}, every registered name in a file of its own beside it
     * ({@code hostsdir}, re-read by dnsmasq when a file changes); other names are forwarded to
     * the node's own resolvers.
     */
    private static List<Task> dns(Infra infra) {
        HostVars v = infra.v();
        if (!v.bool("dns_enabled")) {
            return List.of(new Skip("dnsmasq", "dns", "dns_enabled is false"));
        }
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("infra_name", infra.name());
        conf.put("dns_port", v.integer("dns_port"));
        conf.put("listen", List.of("127.0.0.1", infra.ip()));
        conf.put("hosts_dir", Infra.HOSTS_DIR);
        List<String> records = v.strings("dns_records").stream().map(infra::adminIp).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return List.of(
                new DirectoryTask(Infra.HOSTS_DIR, "0755", "root", "root", "dns"),
                infra.ctx().file(DNS_DEFAULT, "infra/hosts.ftl", Map.of("infra_name", infra.name(), "dns_records", records), "0644", "root",
                        "root", "dns", false),
                new ValidatedFile(infra.ctx().file(DNSMASQ_CONF, "infra/dnsmasq.conf.ftl", conf, "0644", "root", "root", "dns", false),
                        "dnsmasq --test -C"),
                new UnitTask("dnsmasq.service", true, true, List.of(DNSMASQ_CONF), List.of(), "dns"));
    }

    // ---------------------------------------------------------------- nginx

    /**
     * nginx with the portal: a home page listing every cluster, VictoriaMetrics' query API under
     * {@code /vmetrics/} for the page's live status, and a server per other {@code infra_portal}
     * entry; Debian's default site goes, since the home server is the default one. A changed
     * configuration is checked with {@code nginx -t} and reloaded.
     */
    private static List<Task> nginx(Infra infra) {
        HostVars v = infra.v();
        String data = v.str("nginx_data");
        String home = v.str("nginx_home");
        List<Task> out = new ArrayList<>();
        out.add(new DirectoryTask(data, "0755", "root", "root", "nginx"));
        if (!home.equals(data)) {
            out.add(new SymlinkTask(home, data, "nginx"));
        }
        out.add(Portal.page(infra, data + "/index.html"));
        out.add(debianSite());
        out.add(infra.ctx().file(NGINX_CONF, "infra/nginx-portal.conf.ftl", Portal.servers(infra, home), "0644", "root", "root", "nginx",
                false));
        out.add(new Guarded(new UnitTask("nginx.service", true, true, List.of(), List.of(NGINX_CONF, NGINX_DEBIAN_SITE), "nginx"),
                "nginx -t -q"));
        if (v.bool("nginx_exporter_enabled")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("infra_name", infra.name());
            m.put("nginx_port", v.integer("nginx_port"));
            m.put("nginx_exporter_port", v.integer("nginx_exporter_port"));
            out.add(infra.ctx().file(NGINX_EXPORTER_DEFAULTS, "infra/nginx-exporter.default.ftl", m, "0644", "root", "root", "nginx", false));
            out.add(new UnitTask("prometheus-nginx-exporter.service", true, true, List.of(NGINX_EXPORTER_DEFAULTS), List.of(), "nginx"));
        } else {
            out.add(new Skip("unit prometheus-nginx-exporter.service", "nginx", "nginx_exporter_enabled is false"));
        }
        return out;
    }


    /**
     * Debian's default site gone: planned from the facts where nginx is installed, and always
     * where it is not, since installing nginx earlier in the same run creates it.
     */
    private static Task debianSite() {
        String name = "file " + NGINX_DEBIAN_SITE;
        return new dev.pig.core.task.Deferred(name, "nginx", b -> b.packages("nginx").files(NGINX_DEBIAN_SITE), (facts, pctx) ->
                facts.pkg("nginx").installed() ? new Absent(NGINX_DEBIAN_SITE, "nginx")
                        : dev.pig.core.task.CommandTask.always("remove Debian's default nginx site, which nginx installs in this run",
                        "rm -f -- " + dev.pig.core.ssh.Shell.quote(NGINX_DEBIAN_SITE), "nginx"));
    }

    // ---------------------------------------------------------------- infra_register

    @Override
    public List<Staged> register(ModuleContext ctx, Node node, List<Tagged> entries, boolean complete) {
        return Infra.find(ctx, node).map(i -> Registry.register(i, entries, complete).stream().map(t -> Stage.of(10, "register", t)).toList())
                .orElse(List.of());
    }

    @Override
    public List<Staged> deregister(ModuleContext ctx, Node node, List<Tagged> gone) {
        return Infra.find(ctx, node).map(i -> Registry.deregister(i, gone).stream().map(t -> Stage.of(10, "register", t)).toList())
                .orElse(List.of());
    }

    /** The infra node's own exporters, each a job of its own under the cluster {@code infra}. */
    @Override
    public List<Registration> registrations(ModuleContext ctx, Node node) {
        Infra infra = Infra.find(ctx, node).orElseThrow();
        HostVars v = infra.v();
        List<Registration> out = new ArrayList<>();
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("vmetrics", "vmetrics_port");
        parts.put("vmalert", "vmalert_port");
        parts.put("alertmanager", "alertmanager_port");
        parts.put("blackbox", "blackbox_port");
        parts.forEach((job, port) -> {
            if (v.bool(job + "_enabled")) {
                out.add(Registration.Target.of(job, infra.name(), "infra", infra.name(), infra.ip(), v.integer(port)));
            }
        });
        if (v.bool("nginx_enabled") && v.bool("nginx_exporter_enabled")) {
            out.add(Registration.Target.of("nginx", infra.name(), "infra", infra.name(), infra.ip(), v.integer("nginx_exporter_port")));
        }
        return out;
    }

    // ---------------------------------------------------------------- removal

    /**
     * What {@code pig infra rm} undoes: the stack's services stop and are disabled, and the
     * configuration files pig wrote beside the packages' own go (the services would not start
     * from them alone). Packages and {@code infra_data} (metrics, rules, targets, dashboards) stay.
     */
    @Override
    public List<Staged> removal(ModuleContext ctx, Node node) {
        List<Staged> out = new ArrayList<>();
        for (String unit : List.of(Victoria.VMALERT_UNIT, "victoria-metrics.service", "prometheus-alertmanager.service",
                "prometheus-blackbox-exporter.service", "prometheus-nginx-exporter.service", Grafana.UNIT, "nginx.service", "dnsmasq.service")) {
            out.add(Stage.of(1, "stop", new UnitTask(unit, false, false, List.of(), List.of(), "infra_pkg")));
        }
        for (String f : List.of(Victoria.VMALERT_UNIT_FILE, Victoria.VMALERT_DEFAULTS, Victoria.VMETRICS_DROPIN, Alerting.BLACKBOX_DROPIN,
                DNSMASQ_CONF, NGINX_CONF)) {
            out.add(Stage.of(2, "remove", new Absent(f, "infra_pkg")));
        }
        return out;
    }
}
