package dev.pig.modules.infra;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.task.CertificateTask;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.core.task.ValidatedFile;
import dev.pig.modules.HostVars;

/**
 * VictoriaMetrics and vmalert from Debian's {@code victoria-metrics} package. VictoriaMetrics
 * keeps {@code vmetrics_options} (retention, how often targets are re-read) and scrapes every
 * file under {@code targets/} with one job: each file names its own {@code job} and labels, so
 * a module registering a new kind of exporter needs no change here. vmalert evaluates pig's
 * rules ({@link #RULES}) every {@code vmetrics_scrape_interval}, writes recording rules back to
 * VictoriaMetrics and sends alerts to every Alertmanager of the infra group.
 */
final class Victoria {
    static final String VMETRICS_UNIT = "victoria-metrics.service";
    /** The user Debian's package runs VictoriaMetrics as. */
    static final String VMETRICS_USER = "_victoria-metrics";
    static final String VMETRICS_DEFAULTS = "/etc/default/victoria-metrics";
    /** Debian's unit has no reload; VictoriaMetrics re-reads its scrape config on SIGHUP. */
    static final String VMETRICS_DROPIN = "/etc/systemd/system/victoria-metrics.service.d/pig.conf";
    static final String VMALERT_UNIT = "vmalert.service";
    static final String VMALERT_UNIT_FILE = "/etc/systemd/system/" + VMALERT_UNIT;
    static final String VMALERT_DEFAULTS = "/etc/default/vmalert";
    /** pig's rule files, one per module they watch, under {@code templates/infra/rules/}. */
    static final List<String> RULES = List.of("infra.yml", "node.yml", "etcd.yml", "pgsql.yml", "patroni.yml", "pgbouncer.yml",
            "haproxy.yml", "pgbackrest.yml", "probe.yml");

    private Victoria() {
    }

    static List<Task> metrics(Infra infra) {
        HostVars v = infra.v();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infra_name", infra.name());
        m.put("args", String.join(" ", List.of("-storageDataPath=" + infra.metrics(), "-httpListenAddr=:" + v.integer("vmetrics_port"),
                "-promscrape.config=" + infra.scrapeConfig())) + (v.str("vmetrics_options").isBlank() ? "" : " " + v.str("vmetrics_options").strip()));
        Map<String, Object> scrape = new LinkedHashMap<>();
        scrape.put("infra_name", infra.name());
        scrape.put("vmetrics_scrape_interval", v.str("vmetrics_scrape_interval"));
        scrape.put("vmetrics_scrape_timeout", v.str("vmetrics_scrape_timeout"));
        scrape.put("exporter_metrics_path", v.str("exporter_metrics_path"));
        scrape.put("targets", infra.targets() + "/*/*.yml");
        List<Task> out = new ArrayList<>();
        out.add(infra.ctx().file(VMETRICS_DEFAULTS, "infra/victoria-metrics.default.ftl", m, "0644", "root", "root", "vmetrics", false));
        out.add(new DirectoryTask(VMETRICS_DROPIN.substring(0, VMETRICS_DROPIN.lastIndexOf('/')), "0755", "root", "root", "vmetrics"));
        out.add(infra.ctx().file(VMETRICS_DROPIN, "infra/reload.conf.ftl", Map.of("what", "VictoriaMetrics re-reads -promscrape.config"),
                "0644", "root", "root", "vmetrics", false));
        // what https targets are verified with, read (relative to the scrape config) when the config is
        out.add(new FileTask(infra.data() + "/ca.crt", infra.ctx().ca(v).pem(), "0644", "root", "root", "vmetrics", false));
        // and the certificate VictoriaMetrics shows where a target asks for one (etcd with etcd_tls), its key made by its own user
        if (infra.ctx().model().etcd().isPresent() && v.bool("etcd_tls")) {
            out.addAll(clientCertificate(infra, scrape));
        }
        out.add(new ValidatedFile(infra.ctx().file(infra.scrapeConfig(), "infra/prometheus.yml.ftl", scrape, "0644", "root", "root",
                "vmetrics", false), "victoria-metrics -loggerLevel=ERROR -promscrape.config.dryRun -promscrape.config"));
        out.add(new UnitTask(VMETRICS_UNIT, true, true, List.of(VMETRICS_DEFAULTS, VMETRICS_DROPIN), List.of(infra.scrapeConfig()), "vmetrics"));
        return out;
    }

    /** VictoriaMetrics' own certificate of the CA, for targets that ask for one: etcd with etcd_tls. */
    private static List<Task> clientCertificate(Infra infra, Map<String, Object> scrape) {
        HostVars v = infra.v();
        List<Task> out = new ArrayList<>();
        String pki = infra.data() + "/vmetrics-pki";
        out.add(new DirectoryTask(pki, "0700", VMETRICS_USER, VMETRICS_USER, "vmetrics"));
        String request = CertificateTask.request(CertificateTask.asUser(VMETRICS_USER), pki + "/client.key", "victoria-metrics-" + infra.name());
        // VictoriaMetrics reads both files again for each new connection: nothing to reload
        out.add(new CertificateTask(pki + "/client.crt", pki + "/client.key", request, List.of("DNS:victoria-metrics-" + infra.name()),
                CertificateAuthority.days(v.raw("cert_validity")), infra.ctx().ca(v).certificate(), "0644", VMETRICS_USER, List.of(), "vmetrics"));
        scrape.put("client_cert", pki + "/client.crt");
        scrape.put("client_key", pki + "/client.key");
        return out;
    }

    static List<Task> alert(Infra infra) {
        HostVars v = infra.v();
        List<Task> out = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        for (String r : RULES) {
            String path = infra.rules() + "/" + r;
            rules.add(path);
            out.add(new ValidatedFile(new FileTask(path, infra.ctx().templates().file("infra/rules/" + r).getBytes(StandardCharsets.UTF_8),
                    "0644", "root", "root", "vmalert", false), "vmalert -dryRun -loggerLevel=ERROR -rule"));
        }
        String vmetrics = "http://127.0.0.1:" + v.integer("vmetrics_port");
        List<String> args = new ArrayList<>(List.of("-rule=" + infra.rules() + "/*.yml", "-datasource.url=" + vmetrics,
                "-remoteWrite.url=" + vmetrics, "-remoteRead.url=" + vmetrics, "-httpListenAddr=:" + v.integer("vmalert_port"),
                "-evaluationInterval=" + v.str("vmetrics_scrape_interval"), "-external.url=" + infra.url("vmalert_port")));
        // every Alertmanager of the infra group hears every alert: they do not gossip (see Alerting)
        for (Infra other : Infra.all(infra.ctx())) {
            if (other.v().bool("alertmanager_enabled")) {
                args.add("-notifier.url=" + other.url("alertmanager_port"));
            }
        }
        if (!v.str("vmalert_options").isBlank()) {
            args.add(v.str("vmalert_options").strip());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infra_name", infra.name());
        m.put("args", String.join(" ", args));
        m.put("user", Infra.VM_USER);
        m.put("defaults", VMALERT_DEFAULTS);
        out.add(infra.ctx().file(VMALERT_DEFAULTS, "infra/vmalert.default.ftl", m, "0644", "root", "root", "vmalert", false));
        out.add(infra.ctx().file(VMALERT_UNIT_FILE, "infra/vmalert.service.ftl", m, "0644", "root", "root", "vmalert", false));
        out.add(new UnitTask(VMALERT_UNIT, true, true, List.of(VMALERT_DEFAULTS, VMALERT_UNIT_FILE), rules, "vmalert"));
        return out;
    }
}
