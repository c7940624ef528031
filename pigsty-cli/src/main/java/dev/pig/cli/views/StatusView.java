package dev.pig.cli.views;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.pig.modules.infra.Status;

/**
 * What {@code pig status} shows: a block per cluster (its leader, timeline, last backup of the
 * leader and alerts in one line, then a line per member and per service, then the alerts), or
 * all of it as JSON.
 *
 * <pre>
 * pg-test: leader pg-test-1, timeline 1, last backup 2h 5m ago, 1 alert firing
 *   MEMBER     IP           ROLE     STATE      LAG    TL  BACKUP
 *   pg-test-1  10.10.10.11  leader   running    -      1   2h 5m
 *   pg-test-2  10.10.10.12  replica  stopped    -      -   -
 *   services: primary 1 up (3 nodes), replica 1 up (3 nodes) ...
 *   CRIT PgsqlDown pg-test-2: PostgreSQL pg-test-2 (10.10.10.12) is down
 * </pre>
 */
public final class StatusView extends View {

    public StatusView(PrintWriter out, PrintWriter err) {
        super(out, err);
    }

    public void human(List<Status.Cluster> clusters) {
        for (Status.Cluster c : clusters) {
            List<String> head = new ArrayList<>();
            head.add(c.leader().map(l -> "leader " + l.name()).orElse(c.patroni() ? "NO LEADER" : "Patroni does not answer"));
            c.leader().filter(l -> l.timeline() >= 0).ifPresent(l -> head.add("timeline " + l.timeline()));
            c.leader().flatMap(Status.Member::backupAgeSeconds).ifPresent(a -> head.add("last backup " + duration(a) + " ago"));
            if (c.paused()) {
                head.add("maintenance mode");
            }
            head.add(c.metrics() ? c.alerts().size() + (c.alerts().size() == 1 ? " alert firing" : " alerts firing")
                    : "no infra node answered (alerts and backups unknown)");
            out.println(c.name() + ": " + String.join(", ", head));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"MEMBER", "IP", "ROLE", "STATE", "LAG", "TL", "BACKUP"});
            for (Status.Member m : c.members()) {
                rows.add(new String[] {m.name(), m.ip(), m.role().equals("-") ? m.inventoryRole() + "?" : m.role(),
                        m.state() + (m.pendingRestart() ? " (restart pending)" : ""), m.lagBytes() < 0 ? "-" : bytes(m.lagBytes()),
                        m.timeline() < 0 ? "-" : String.valueOf(m.timeline()), m.backupAgeSeconds().map(StatusView::duration).orElse("-")});
            }
            table(rows);
            if (!c.services().isEmpty()) {
                List<String> s = new ArrayList<>();
                for (Status.Service svc : c.services()) {
                    int min = svc.serversUp().values().stream().mapToInt(Integer::intValue).min().orElse(0);
                    s.add(svc.name() + " " + (min == 0 ? "NO SERVER on " + svc.serversUp().entrySet().stream().filter(e -> e.getValue() == 0)
                            .map(Map.Entry::getKey).toList() : min + " up") + " (" + svc.serversUp().size() + " nodes)");
                }
                out.println("  services: " + String.join(", ", s));
            }
            for (Status.Alert a : c.alerts()) {
                out.println("  " + a.severity() + " " + a.name() + (a.instance().isEmpty() ? "" : " " + a.instance()) + ": " + a.summary());
            }
            out.println();
        }
        out.flush();
    }

    public void json(List<Status.Cluster> clusters) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Status.Cluster c : clusters) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("healthy", c.healthy());
            cm.put("leader", c.leader().map(Status.Member::name).orElse(null));
            cm.put("patroni_answered", c.patroni());
            cm.put("metrics_answered", c.metrics());
            cm.put("paused", c.paused());
            List<Map<String, Object>> members = new ArrayList<>();
            for (Status.Member mem : c.members()) {
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("name", mem.name());
                mm.put("ip", mem.ip());
                mm.put("inventory_role", mem.inventoryRole());
                mm.put("role", mem.role());
                mm.put("state", mem.state());
                mm.put("lag_bytes", mem.lagBytes() < 0 ? null : mem.lagBytes());
                mm.put("timeline", mem.timeline() < 0 ? null : mem.timeline());
                mm.put("pending_restart", mem.pendingRestart());
                mm.put("backup_age_seconds", mem.backupAgeSeconds().orElse(null));
                members.add(mm);
            }
            cm.put("members", members);
            List<Map<String, Object>> services = new ArrayList<>();
            c.services().forEach(svc -> services.add(Map.of("name", svc.name(), "servers_up", svc.serversUp())));
            cm.put("services", services);
            List<Map<String, Object>> alerts = new ArrayList<>();
            c.alerts().forEach(a -> {
                Map<String, Object> am = new LinkedHashMap<>();
                am.put("alertname", a.name());
                am.put("severity", a.severity());
                am.put("ins", a.instance());
                am.put("summary", a.summary());
                am.put("since", a.since());
                alerts.add(am);
            });
            cm.put("alerts", alerts);
            list.add(cm);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("clusters", list);
        try {
            out.println(m.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    private void table(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append("  ").append(i == r.length - 1 ? r[i] : String.format("%-" + w[i] + "s", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
