package dev.pig.modules.infra;

import java.util.List;
import java.util.Optional;

import dev.pig.core.model.InfraNode;
import dev.pig.core.model.Node;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * One infra node as the INFRA module describes it: its {@code infra_seq}, its parameters, and
 * where its pieces live. {@code infra_data} holds everything ({@code /infra} links to it, as in
 * Pigsty):
 *
 * <pre>
 * /data/infra/prometheus.yml      what VictoriaMetrics scrapes: every file under targets/
 * /data/infra/targets/&lt;job&gt;/      one file per registered instance
 * /data/infra/rules/              vmalert's recording and alerting rules
 * /data/infra/conf/               alertmanager.yml, blackbox.yml
 * /data/infra/dashboards/         Grafana dashboards, provisioned as files
 * /data/infra/metrics/            VictoriaMetrics' data
 * /data/infra/alertmgr/           Alertmanager's silences and notification log
 * </pre>
 *
 * @param ctx  the model and templates of the run
 * @param me   the infra node: its {@code infra_seq} and IP
 * @param node the host
 * @param v    the host's parameters
 */
record Infra(ModuleContext ctx, InfraNode me, Node node, HostVars v) {
    static final String LINK = "/infra";
    static final String HOSTS_DIR = "/etc/hosts.d";
    /** The user Debian's victoria-metrics package runs VictoriaMetrics as; vmalert runs as it too. */
    static final String VM_USER = "_victoria-metrics";
    /** The user Debian's prometheus-* packages run Alertmanager and the exporters as. */
    static final String PROM_USER = "prometheus";

    /** The infra node on {@code node}, when the node is one. */
    static Optional<Infra> find(ModuleContext ctx, Node node) {
        return ctx.model().infra().stream().filter(i -> i.ip().equals(node.id())).findFirst()
                .map(i -> new Infra(ctx, i, node, ctx.vars(node)));
    }

    /** Every infra node of the inventory. */
    static List<Infra> all(ModuleContext ctx) {
        return ctx.model().infra().stream().map(i -> new Infra(ctx, i, ctx.model().node(i.ip()).orElseThrow(),
                ctx.vars(ctx.model().node(i.ip()).orElseThrow()))).toList();
    }

    /** Pigsty's name of the node's infra instance: {@code infra-1}. */
    String name() {
        return "infra-" + me.seq();
    }

    /** Where the node is reached by the others: its inventory IP. */
    String ip() {
        return me.ip();
    }

    String data() {
        return v.str("infra_data");
    }

    String conf() {
        return data() + "/conf";
    }

    String rules() {
        return data() + "/rules";
    }

    String targets() {
        return data() + "/targets";
    }

    String dashboards() {
        return data() + "/dashboards";
    }

    String metrics() {
        return data() + "/metrics";
    }

    String alertmgr() {
        return data() + "/alertmgr";
    }

    String scrapeConfig() {
        return data() + "/prometheus.yml";
    }

    String alertmanagerConfig() {
        return conf() + "/alertmanager.yml";
    }

    String blackboxConfig() {
        return conf() + "/blackbox.yml";
    }

    /** {@code http://<ip>:<port>} of a service this node runs on {@code portParam}. */
    String url(String portParam) {
        return "http://" + ip() + ":" + v.integer(portParam);
    }

    /** Pigsty's placeholder for the admin node in {@code dns_records}. */
    String adminIp(String s) {
        return s.replace("${admin_ip}", v.str("admin_ip"));
    }
}
