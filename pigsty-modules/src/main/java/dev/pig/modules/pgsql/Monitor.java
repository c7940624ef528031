package dev.pig.modules.pgsql;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.model.PgInstance;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * The metrics endpoints of an instance: PostgreSQL's exporter on {@code pg_exporter_port}
 * (Debian's prometheus-postgres-exporter, logged in as {@code pg_monitor_username}) and
 * PgBouncer's on {@code pgbouncer_exporter_port} (a small exporter of pig's reading PgBouncer's
 * admin console); HAProxy serves its own on the NODE admin port.
 *
 * <pre>
 * pg_exporter_port: 9630
 * pgbouncer_exporter_port: 9631
 * pg_exporter_exclude_database: 'template0,template1,postgres'
 * </pre>
 */
final class Monitor {
    static final String PG_EXPORTER_DEFAULTS = "/etc/default/prometheus-postgres-exporter";
    static final String PG_EXPORTER_UNIT = "prometheus-postgres-exporter.service";
    static final String PGB_EXPORTER_UNIT = "pgbouncer_exporter.service";
    static final String PGB_EXPORTER_UNIT_FILE = "/etc/systemd/system/" + PGB_EXPORTER_UNIT;
    /** pig's own: Debian 12's prometheus-pgbouncer-exporter (1.7) reads columns PgBouncer 1.18 no longer has. */
    static final String PGB_EXPORTER = "/pg/bin/pgbouncer_exporter";

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
            out.add(ctx.file(PG_EXPORTER_DEFAULTS, "pgsql/pg-exporter.default.ftl", m, "0600", "root", "root", "pg_exporter", true));
            out.add(new UnitTask(PG_EXPORTER_UNIT, true, true, List.of(PG_EXPORTER_DEFAULTS), List.of(), "pg_exporter"));
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
        return out;
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
        if (!v.str("pg_exporter_options").isBlank()) {
            a.add(v.str("pg_exporter_options"));
        }
        return String.join(" ", a);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
