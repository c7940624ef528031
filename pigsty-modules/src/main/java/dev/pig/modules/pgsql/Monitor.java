package dev.pig.modules.pgsql;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Registration;

/**
 * The metrics endpoints of an instance: PostgreSQL's exporter on {@code pg_exporter_port}
 * (Debian's prometheus-postgres-exporter, logged in as {@code pg_monitor_username}, with pig's
 * queries for replication lag, transaction-id age, WAL position and table activity beside its
 * built-in ones), PgBouncer's on {@code pgbouncer_exporter_port} and pgBackRest's on
 * {@code pgbackrest_exporter_port} (small exporters of pig's reading PgBouncer's admin console and
 * {@code pgbackrest info}); Patroni serves its own on its REST port, HAProxy on the NODE admin
 * port. {@link #registrations} is what the infra nodes scrape of them, probe, and resolve.
 *
 * <pre>
 * pg_exporter_port: 9630
 * pgbouncer_exporter_port: 9631
 * pgbackrest_exporter_port: 9854
 * pg_exporter_exclude_database: 'template0,template1,postgres'
 * pg_dns_target: auto            # the cluster's name resolves to its VIP, else its primary
 * </pre>
 */
final class Monitor {
    static final String PG_EXPORTER_DEFAULTS = "/etc/default/prometheus-postgres-exporter";
    static final String PG_EXPORTER_UNIT = "prometheus-postgres-exporter.service";
    static final String PGB_EXPORTER_UNIT = "pgbouncer_exporter.service";
    static final String PGB_EXPORTER_UNIT_FILE = "/etc/systemd/system/" + PGB_EXPORTER_UNIT;
    /** pig's own: Debian 12's prometheus-pgbouncer-exporter (1.7) reads columns PgBouncer 1.18 no longer has. */
    static final String PGB_EXPORTER = "/pg/bin/pgbouncer_exporter";
    static final String PGBR_EXPORTER_UNIT = "pgbackrest_exporter.service";
    static final String PGBR_EXPORTER_UNIT_FILE = "/etc/systemd/system/" + PGBR_EXPORTER_UNIT;
    /** pig's own: Debian has no pgBackRest exporter. */
    static final String PGBR_EXPORTER = "/pg/bin/pgbackrest_exporter";
    /** pig's queries for Debian's exporter, read by its user (prometheus). */
    static final String PG_EXPORTER_QUERIES = "/etc/prometheus/pg-exporter-queries.yml";
    static final String REGISTER_TAG = "pg_register";

    private Monitor() {
    }

    /** The packages the enabled exporters come in. */
    static List<String> packages(HostVars v) {
        List<String> out = new ArrayList<>();
        if (v.bool("pg_exporter_enabled")) {
            out.add("prometheus-postgres-exporter");
        }
        return out;
    }

    static List<Task> tasks(PgNode n) {
        ModuleContext ctx = n.ctx();
        PgInstance me = n.me();
        HostVars v = n.v();
        List<Task> out = new ArrayList<>();
        if (v.bool("pg_exporter_enabled")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pg_instance", me.name());
            m.put("data_source_name", dsn(me, v));
            m.put("exporter_args", args(v));
            out.add(new DirectoryTask("/etc/prometheus", "0755", "root", "root", "pg_exporter"));
            out.add(ctx.file(PG_EXPORTER_QUERIES, "pgsql/pg-exporter-queries.yml.ftl", Map.of("pg_instance", me.name()), "0644", "root", "root",
                    "pg_exporter", false));
            out.add(ctx.file(PG_EXPORTER_DEFAULTS, "pgsql/pg-exporter.default.ftl", m, "0600", "root", "root", "pg_exporter", true));
            out.add(new UnitTask(PG_EXPORTER_UNIT, true, true, List.of(PG_EXPORTER_DEFAULTS, PG_EXPORTER_QUERIES), List.of(), "pg_exporter"));
        } else {
            out.add(new Skip("unit " + PG_EXPORTER_UNIT, "pg_exporter", "pg_exporter_enabled is false"));
        }
        if (v.bool("pgbouncer_exporter_enabled") && v.bool("pgbouncer_enabled")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pg_instance", me.name());
            m.put("pgbouncer_exporter_port", v.integer("pgbouncer_exporter_port"));
            m.put("pg_localhost", v.str("pg_localhost"));
            m.put("pgbouncer_port", v.integer("pgbouncer_port"));
            m.put("pg_dbsu", v.str("pg_dbsu"));
            m.put("script", PGB_EXPORTER);
            // the dbsu's, as everything in its /pg/bin: the exporter runs as the dbsu
            out.add(ctx.file(PGB_EXPORTER, "pgsql/pgbouncer_exporter.ftl", m, "0755", v.str("pg_dbsu"), v.str("pg_dbsu"),
                    "pgbouncer_exporter", false));
            out.add(ctx.file(PGB_EXPORTER_UNIT_FILE, "pgsql/pgbouncer_exporter.service.ftl", m, "0644", "root", "root",
                    "pgbouncer_exporter", false));
            out.add(new UnitTask(PGB_EXPORTER_UNIT, true, true, List.of(PGB_EXPORTER, PGB_EXPORTER_UNIT_FILE), List.of(),
                    "pgbouncer_exporter"));
        } else {
            out.add(new Skip("unit " + PGB_EXPORTER_UNIT, "pgbouncer_exporter", v.bool("pgbouncer_enabled")
                    ? "pgbouncer_exporter_enabled is false" : "pgbouncer_enabled is false"));
        }
        if (v.bool("pgbackrest_exporter_enabled") && v.bool("pgbackrest_enabled")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pg_instance", me.name());
            m.put("pg_cluster", n.cluster().name());
            m.put("pgbackrest_exporter_port", v.integer("pgbackrest_exporter_port"));
            m.put("pg_dbsu", v.str("pg_dbsu"));
            m.put("script", PGBR_EXPORTER);
            m.put("config", Backup.CONF);
            out.add(ctx.file(PGBR_EXPORTER, "pgsql/pgbackrest_exporter.ftl", m, "0755", v.str("pg_dbsu"), v.str("pg_dbsu"),
                    "pgbackrest_exporter", false));
            out.add(ctx.file(PGBR_EXPORTER_UNIT_FILE, "pgsql/pgbackrest_exporter.service.ftl", m, "0644", "root", "root",
                    "pgbackrest_exporter", false));
            out.add(new UnitTask(PGBR_EXPORTER_UNIT, true, true, List.of(PGBR_EXPORTER, PGBR_EXPORTER_UNIT_FILE), List.of(),
                    "pgbackrest_exporter"));
        } else {
            out.add(new Skip("unit " + PGBR_EXPORTER_UNIT, "pgbackrest_exporter", v.bool("pgbackrest_enabled")
                    ? "pgbackrest_exporter_enabled is false" : "pgbackrest_enabled is false"));
        }
        return out;
    }

    /**
     * What the infra nodes keep of the instance on {@code node}, under its name: its exporters
     * (jobs {@code pgsql}, {@code pgbouncer}, {@code patroni}, {@code pgbackrest}), TCP probes of
     * PostgreSQL, PgBouncer and the services the node publishes (job {@code tcp}), an ICMP and a
     * TCP probe of the cluster's VIP (under {@code <cluster>-vip}, shared by its members), and its
     * DNS names: the instance, and the cluster's ({@code pg_dns_target}) shared by its members. A
     * node that only publishes services ({@code pg_service_provider}) registers their probes.
     */
    static List<Registration> registrations(ModuleContext ctx, Node node) {
        List<Registration> out = new ArrayList<>();
        Optional<PgNode> found = PgNode.find(ctx, node);
        List<String> served = new ArrayList<>();
        for (PgCluster c : Services.servedBy(ctx, node)) {
            if (found.isPresent() && found.get().cluster() == c) {
                continue;
            }
            List<String> ports = c.services().stream().map(svc -> node.id() + ":" + svc.port()).toList();
            if (!ports.isEmpty()) {
                out.add(new Registration.Probe("tcp", c.name() + "-" + node.id(), Registration.labelsOf(c.name(), node.id(), node.id()), "tcp_connect", ports));
            }
        }
        if (found.isEmpty()) {
            return out;
        }
        PgNode n = found.get();
        HostVars v = n.v();
        PgCluster c = n.cluster();
        PgInstance me = n.me();
        String cls = c.name();
        String ins = me.name();
        String ip = me.ip();
        if (v.bool("pg_exporter_enabled")) {
            out.add(Registration.Target.of("pgsql", ins, cls, ins, ip, v.integer("pg_exporter_port")));
        }
        boolean pgbouncer = v.bool("pgbouncer_enabled");
        if (pgbouncer && v.bool("pgbouncer_exporter_enabled")) {
            out.add(Registration.Target.of("pgbouncer", ins, cls, ins, ip, v.integer("pgbouncer_exporter_port")));
        }
        if (v.bool("patroni_ssl_enabled")) {
            // scraped over TLS, verified with the CA (the scrape config's ca_file)
            Map<String, String> labels = new java.util.LinkedHashMap<>(Registration.labelsOf(cls, ins, ip));
            labels.put("__scheme__", "https");
            out.add(new Registration.Target("patroni", ins, labels, ip + ":" + v.integer("patroni_port"), ""));
        } else {
            out.add(Registration.Target.of("patroni", ins, cls, ins, ip, v.integer("patroni_port")));
        }
        if (v.bool("pgbackrest_enabled") && v.bool("pgbackrest_exporter_enabled")) {
            out.add(Registration.Target.of("pgbackrest", ins, cls, ins, ip, v.integer("pgbackrest_exporter_port")));
        }
        List<String> ports = new ArrayList<>();
        ports.add(ip + ":" + me.port());
        if (pgbouncer) {
            ports.add(ip + ":" + v.integer("pgbouncer_port"));
        }
        if (Services.servedBy(ctx, node).contains(c)) {
            c.services().forEach(svc -> ports.add(ip + ":" + svc.port()));
        }
        out.add(new Registration.Probe("tcp", ins, Registration.labelsOf(cls, ins, ip), "tcp_connect", ports));
        c.vipAddress().map(a -> a.replaceFirst("/.*", "")).ifPresent(vip -> {
            out.add(new Registration.Probe("ping", cls + "-vip", Registration.labelsOf(cls, cls + "-vip", vip), "icmp", List.of(vip)));
            out.add(new Registration.Probe("tcp", cls + "-vip", Registration.labelsOf(cls, cls + "-vip", vip), "tcp_connect", List.of(vip + ":" + me.port())));
        });
        out.add(new Registration.Dns(ins, ip, List.of(ins)));
        dnsTarget(c, v).ifPresent(t -> out.add(new Registration.Dns(cls, t, List.of(cls + v.str("pg_dns_suffix")))));
        return out;
    }

    /**
     * What the cluster's name resolves to ({@code pg_dns_target}): {@code auto} its VIP, else its
     * primary; {@code primary}; {@code vip}; {@code none}; or an address as written.
     */
    static Optional<String> dnsTarget(PgCluster c, HostVars v) {
        String target = v.str("pg_dns_target");
        Optional<String> vip = c.vipAddress().map(a -> a.replaceFirst("/.*", ""));
        Optional<String> primary = c.primary().map(PgInstance::ip);
        return switch (target) {
            case "none" -> Optional.empty();
            case "primary" -> primary;
            case "vip" -> vip;
            case "auto", "" -> vip.isPresent() ? vip : primary;
            default -> Optional.of(target);
        };
    }


    /** {@code pg_exporter_url}, else the monitor user on the instance's loopback. */
    static String dsn(PgInstance me, HostVars v) {
        if (!v.str("pg_exporter_url").isBlank()) {
            return v.str("pg_exporter_url");
        }
        String user = enc(v.str("pg_monitor_username"));
        String pw = enc(v.secret("pg_monitor_password").reveal());
        int timeout = Math.max(1, (v.integer("pg_exporter_connect_timeout") + 999) / 1000);
        String params = "connect_timeout=" + timeout + (v.str("pg_exporter_params").isBlank() ? "" : "&" + v.str("pg_exporter_params"));
        return "postgresql://" + user + ":" + pw + "@127.0.0.1:" + me.port() + "/postgres?" + params;
    }

    static String args(HostVars v) {
        List<String> a = new ArrayList<>();
        a.add("--web.listen-address=:" + v.integer("pg_exporter_port"));
        if (v.bool("pg_exporter_auto_discovery")) {
            a.add("--auto-discover-databases");
            if (!v.str("pg_exporter_include_database").isBlank()) {
                a.add("--include-databases=" + v.str("pg_exporter_include_database"));
            } else if (!v.str("pg_exporter_exclude_database").isBlank()) {
                a.add("--exclude-databases=" + v.str("pg_exporter_exclude_database"));
            }
        }
        a.add("--extend.query-path=" + PG_EXPORTER_QUERIES);
        if (!v.str("pg_exporter_options").isBlank()) {
            a.add(v.str("pg_exporter_options"));
        }
        return String.join(" ", a);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
