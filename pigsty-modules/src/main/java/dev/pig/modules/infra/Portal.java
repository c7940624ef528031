package dev.pig.modules.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgService;
import dev.pig.core.task.FileTask;
import dev.pig.modules.HostVars;

/**
 * The portal nginx serves on {@code nginx_port} ({@code infra_portal}): a home page, made from
 * the inventory at each deploy, that lists every cluster with its members, their roles in the
 * inventory, the cluster's services and VIP, and links to the stack's UIs and to every exporter;
 * a small script on the page asks VictoriaMetrics (through {@code /vmetrics/}) which members are
 * up and which one leads now. The other entries of {@code infra_portal} become servers of their
 * own: a {@code domain} proxied to an {@code endpoint}, or a {@code path} served as files.
 *
 * <pre>
 * infra_portal:
 *   home:    { domain: i.pigsty }
 *   grafana: { domain: g.pigsty, endpoint: '${admin_ip}:3000', websocket: true }
 * </pre>
 */
final class Portal {
    private Portal() {
    }

    /** The home page: nothing on it changes unless the inventory does. */
    static FileTask page(Infra infra, String path) {
        ClusterModel model = infra.ctx().model();
        HostVars v = infra.v();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infra_name", infra.name());
        m.put("infra_ip", infra.ip());
        m.put("links", links(infra));
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (PgCluster c : model.pgClusters()) {
            clusters.add(cluster(infra, c));
        }
        m.put("clusters", clusters);
        List<Map<String, Object>> etcd = new ArrayList<>();
        model.etcd().ifPresent(e -> {
            for (EtcdCluster.Member mem : e.members()) {
                etcd.add(Map.of("cluster", e.name(), "name", mem.name(), "ip", mem.ip(),
                        "metrics", "http://" + mem.ip() + ":" + mem.port() + "/metrics"));
            }
        });
        m.put("etcd", etcd);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Node n : model.nodes()) {
            HostVars nv = infra.ctx().vars(n);
            nodes.add(Map.of("ip", n.id(), "name", n.nodename().isEmpty() ? n.id() : n.nodename(), "cluster", n.nodeCluster(),
                    "metrics", "http://" + n.id() + ":" + nv.integer("node_exporter_port") + "/metrics"));
        }
        m.put("nodes", nodes);
        m.put("live", v.bool("vmetrics_enabled"));
        return infra.ctx().file(path, "infra/index.html.ftl", m, "0644", "root", "root", "nginx", false);
    }

    /** The stack's UIs on this node, then {@code infra_extra_services}. */
    private static List<Map<String, Object>> links(Infra infra) {
        HostVars v = infra.v();
        List<Map<String, Object>> out = new ArrayList<>();
        if (v.bool("vmetrics_enabled")) {
            out.add(link("Metrics", infra.url("vmetrics_port") + "/vmui/", "VictoriaMetrics query UI"));
            out.add(link("Scrape targets", infra.url("vmetrics_port") + "/targets", "every registered exporter and whether it is up"));
        }
        if (v.bool("vmalert_enabled")) {
            out.add(link("Rules", infra.url("vmalert_port") + "/", "vmalert: recording and alerting rules, firing alerts"));
        }
        if (v.bool("alertmanager_enabled")) {
            out.add(link("Alertmanager", infra.url("alertmanager_port") + "/", "alerts, silences and their routing"));
        }
        if (v.bool("grafana_enabled")) {
            out.add(link("Grafana", infra.url("grafana_port") + "/", "dashboards (when Grafana could be installed)"));
        }
        if (v.raw("infra_extra_services") instanceof List<?> extra) {
            for (Object o : extra) {
                if (o instanceof Map<?, ?> e && e.get("name") != null && e.get("url") != null) {
                    out.add(link(String.valueOf(e.get("name")), infra.adminIp(String.valueOf(e.get("url"))),
                            e.get("desc") == null ? "" : String.valueOf(e.get("desc"))));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> link(String name, String url, String desc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("url", url);
        m.put("desc", desc);
        return m;
    }

    private static Map<String, Object> cluster(Infra infra, PgCluster c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("vip", c.vipAddress().map(a -> a.replaceFirst("/.*", "")).orElse(""));
        List<String> services = new ArrayList<>();
        for (PgService s : c.services()) {
            services.add(s.name() + " :" + s.port());
        }
        m.put("services", services);
        List<Map<String, Object>> members = new ArrayList<>();
        for (PgInstance i : c.instances()) {
            HostVars iv = infra.ctx().vars(infra.ctx().model().node(i.ip()).orElseThrow());
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("ins", i.name());
            mem.put("ip", i.ip());
            mem.put("role", i.role().name().toLowerCase(java.util.Locale.ROOT));
            List<Map<String, Object>> exporters = new ArrayList<>();
            exporters.add(link("postgres", "http://" + i.ip() + ":" + iv.integer("pg_exporter_port") + "/metrics", ""));
            if (iv.bool("pgbouncer_enabled") && iv.bool("pgbouncer_exporter_enabled")) {
                exporters.add(link("pgbouncer", "http://" + i.ip() + ":" + iv.integer("pgbouncer_exporter_port") + "/metrics", ""));
            }
            exporters.add(link("patroni", "http://" + i.ip() + ":" + iv.integer("patroni_port") + "/cluster", ""));
            exporters.add(link("haproxy", "http://" + i.ip() + ":" + iv.integer("haproxy_exporter_port") + "/", ""));
            mem.put("exporters", exporters);
            members.add(mem);
        }
        m.put("members", members);
        return m;
    }

    /** The nginx servers: the home page on {@code nginx_port}, and one per other {@code infra_portal} entry. */
    static Map<String, Object> servers(Infra infra, String home) {
        HostVars v = infra.v();
        Map<String, Object> portal = v.dict("infra_portal");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infra_name", infra.name());
        m.put("nginx_port", v.integer("nginx_port"));
        m.put("root", home);
        List<String> names = new ArrayList<>();
        if (portal.get("home") instanceof Map<?, ?> h && h.get("domain") != null) {
            names.add(String.valueOf(h.get("domain")));
        }
        names.add(infra.ip());
        names.add("localhost");
        m.put("server_names", names);
        m.put("vmetrics_port", v.bool("vmetrics_enabled") ? v.integer("vmetrics_port") : 0);
        List<Map<String, Object>> others = new ArrayList<>();
        portal.forEach((name, value) -> {
            if (name.equals("home") || !(value instanceof Map<?, ?> e) || e.get("domain") == null) {
                return;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", name);
            s.put("domain", String.valueOf(e.get("domain")));
            s.put("endpoint", e.get("endpoint") == null ? "" : infra.adminIp(String.valueOf(e.get("endpoint"))));
            s.put("path", e.get("path") == null ? "" : String.valueOf(e.get("path")));
            s.put("websocket", Boolean.TRUE.equals(e.get("websocket")));
            others.add(s);
        });
        m.put("others", others);
        return m;
    }
}
