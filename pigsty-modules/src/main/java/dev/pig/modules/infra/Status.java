package dev.pig.modules.infra;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.ssh.Shell;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.pgsql.PatroniCluster;

/**
 * What {@code pig status} shows of a cluster, read in one round trip per host: members, roles,
 * state, lag and timeline as Patroni reports them on the cluster's members, and from the infra
 * node what VictoriaMetrics knows (the age of each member's last backup, the servers each of the
 * cluster's HAProxy services has up on each node) and what Alertmanager holds (the alerts firing
 * for the cluster, its members and their nodes).
 */
public final class Status {
    private Status() {
    }

    /** A member of the cluster, from Patroni; {@code answered} false when no member's Patroni did. */
    public record Member(String name, String ip, String inventoryRole, String role, String state, long lagBytes, int timeline,
                         boolean pendingRestart, Optional<Double> backupAgeSeconds) {
    }

    /** One HAProxy service of the cluster: how many servers are up behind it, on each node publishing it. */
    public record Service(String name, Map<String, Integer> serversUp) {
    }

    /** An alert Alertmanager holds for the cluster. */
    public record Alert(String name, String severity, String instance, String summary, String since) {
    }

    /**
     * The cluster's status; {@code patroni} false when no member's Patroni answered,
     * {@code metrics} false when no infra node's VictoriaMetrics and Alertmanager did.
     */
    public record Cluster(String name, boolean patroni, boolean metrics, List<Member> members, List<Service> services, List<Alert> alerts,
                          boolean paused) {

        public Optional<Member> leader() {
            return members.stream().filter(m -> m.role().equals("leader") || m.role().equals("standby_leader")).findFirst();
        }

        /**
         * Every member runs, one leads, and no critical alert fires: a warning (a failover in the
         * last ten minutes, a restart pending) is shown, but a cluster that warns still serves.
         */
        public boolean healthy() {
            return patroni && leader().isPresent() && members.stream().allMatch(m -> m.state().equals("running") || m.state().equals("streaming"))
                    && alerts.stream().noneMatch(a -> a.severity().equals("CRIT"));
        }
    }

    /** What to ask whom: each member its cluster's Patroni view, each infra node the metrics. */
    public static Map<Node, FactRequest> requests(ModuleContext ctx, List<PgCluster> clusters) {
        Map<Node, FactRequest.Builder> out = new LinkedHashMap<>();
        for (PgCluster c : clusters) {
            PatroniCluster section = PatroniCluster.of(ctx, c);
            for (PgInstance i : c.instances()) {
                out.computeIfAbsent(ctx.model().node(i.ip()).orElseThrow(), k -> FactRequest.builder()).sections(section.name());
            }
        }
        for (Infra i : Infra.all(ctx)) {
            out.computeIfAbsent(i.node(), k -> FactRequest.builder()).sections(Section.of(i).name());
        }
        Map<Node, FactRequest> built = new LinkedHashMap<>();
        out.forEach((n, b) -> built.put(n, b.build()));
        return built;
    }

    /** The sections {@link #requests} asks for, for the fact gatherer. */
    public static List<FactSection<?>> sections(ModuleContext ctx) {
        List<FactSection<?>> out = new ArrayList<>();
        Infra.all(ctx).forEach(i -> out.add(Section.of(i)));
        return out;
    }

    /** The status of {@code c} from what was gathered. */
    public static Cluster of(ModuleContext ctx, PgCluster c, Gathered g) {
        PatroniCluster section = PatroniCluster.of(ctx, c);
        PatroniCluster.View view = new PatroniCluster.View(false, List.of());
        for (PgInstance i : c.instances()) {
            HostFacts f = g.facts().get(ctx.model().node(i.ip()).orElseThrow().address());
            if (f != null && f.request().sections().contains(section.name())) {
                PatroniCluster.View v = f.extra(section);
                if (v.answered()) {
                    view = v;
                    break;
                }
            }
        }
        Live live = Live.NONE;
        for (Infra i : Infra.all(ctx)) {
            HostFacts f = g.facts().get(i.node().address());
            if (f != null && f.request().sections().contains(Section.of(i).name())) {
                Live l = f.extra(Section.of(i));
                if (l.answered()) {
                    live = l;
                    break;
                }
            }
        }
        List<Member> members = new ArrayList<>();
        for (PgInstance i : c.instances()) {
            Optional<PatroniCluster.Member> m = view.member(i.name());
            members.add(new Member(i.name(), i.ip(), i.role().name().toLowerCase(java.util.Locale.ROOT), m.map(PatroniCluster.Member::role).orElse("-"),
                    m.map(PatroniCluster.Member::state).orElse(view.answered() ? "stopped" : "unknown"),
                    m.map(PatroniCluster.Member::lag).orElse(-1L), m.map(PatroniCluster.Member::timeline).orElse(-1),
                    m.map(PatroniCluster.Member::pendingRestart).orElse(false), Optional.ofNullable(live.backupAge().get(i.name()))));
        }
        List<Service> services = new ArrayList<>();
        live.serversUp().forEach((proxy, byNode) -> {
            if (proxy.startsWith(c.name() + "-") && c.services().stream().anyMatch(s -> proxy.equals(c.name() + "-" + s.name()))) {
                services.add(new Service(proxy.substring(c.name().length() + 1), byNode));
            }
        });
        List<String> names = c.instances().stream().map(PgInstance::name).toList();
        List<Alert> alerts = live.alerts().stream().filter(a -> a.cls().equals(c.name()) || names.contains(a.alert().instance()))
                .map(LiveAlert::alert).toList();
        return new Cluster(c.name(), view.answered(), live.answered(), members, services, alerts, view.paused());
    }

    /** An alert with the cluster label it carries. */
    record LiveAlert(String cls, Alert alert) {
    }

    /**
     * What an infra node's VictoriaMetrics and Alertmanager answered: backup age by instance,
     * servers up by service and node, the alerts firing.
     */
    record Live(boolean answered, Map<String, Double> backupAge, Map<String, Map<String, Integer>> serversUp, List<LiveAlert> alerts) {
        static final Live NONE = new Live(false, Map.of(), Map.of(), List.of());
    }

    /**
     * The infra node's answers, gathered as a fact: three queries to VictoriaMetrics and the
     * alerts of Alertmanager on the node itself, each after a marker line.
     */
    static final class Section implements FactSection<Live> {
        static final String BACKUP = "pgbackrest:ins:last_backup_age";
        static final String SERVERS = "max by (ins, proxy) (haproxy_backend_active_servers + haproxy_backend_backup_servers)";
        private static final ObjectMapper JSON = new ObjectMapper();
        private final String name;
        private final int vmetrics;
        private final int alertmanager;

        private Section(String name, int vmetrics, int alertmanager) {
            this.name = name;
            this.vmetrics = vmetrics;
            this.alertmanager = alertmanager;
        }

        static Section of(Infra infra) {
            HostVars v = infra.v();
            return new Section("infra.status:" + infra.name(), v.integer("vmetrics_port"), v.integer("alertmanager_port"));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isVolatile() {
            return true;
        }

        @Override
        public String script() {
            String vm = "http://127.0.0.1:" + vmetrics + "/api/v1/query";
            return "printf '@@backup\\n'; curl -sf -m 5 " + Shell.quote(vm) + " --data-urlencode " + Shell.quote("query=" + BACKUP) + "; echo\n"
                    + "printf '@@servers\\n'; curl -sf -m 5 " + Shell.quote(vm) + " --data-urlencode " + Shell.quote("query=" + SERVERS) + "; echo\n"
                    + "printf '@@alerts\\n'; curl -sf -m 5 " + Shell.quote("http://127.0.0.1:" + alertmanager
                    + "/api/v2/alerts?active=true&silenced=false&inhibited=false") + "; echo\ntrue\n";
        }

        @Override
        public Live parse(String output) {
            Map<String, String> parts = new TreeMap<>();
            String key = null;
            StringBuilder b = new StringBuilder();
            for (String line : output.lines().toList()) {
                if (line.startsWith("@@")) {
                    if (key != null) {
                        parts.put(key, b.toString().strip());
                    }
                    key = line.substring(2).strip();
                    b.setLength(0);
                } else {
                    b.append(line).append('\n');
                }
            }
            if (key != null) {
                parts.put(key, b.toString().strip());
            }
            JsonNode backup = json(parts.get("backup"));
            JsonNode servers = json(parts.get("servers"));
            JsonNode alerts = json(parts.get("alerts"));
            if (backup == null && servers == null && alerts == null) {
                return Live.NONE;
            }
            Map<String, Double> age = new TreeMap<>();
            for (JsonNode s : results(backup)) {
                number(s).ifPresent(x -> age.put(s.path("metric").path("ins").asText(), x));
            }
            Map<String, Map<String, Integer>> up = new TreeMap<>();
            for (JsonNode s : results(servers)) {
                number(s).ifPresent(x -> up.computeIfAbsent(s.path("metric").path("proxy").asText(), k -> new TreeMap<>())
                        .put(s.path("metric").path("ins").asText(), x.intValue()));
            }
            List<LiveAlert> firing = new ArrayList<>();
            if (alerts != null && alerts.isArray()) {
                for (JsonNode a : alerts) {
                    JsonNode l = a.path("labels");
                    firing.add(new LiveAlert(l.path("cls").asText(), new Alert(l.path("alertname").asText(), l.path("severity").asText(),
                            l.path("ins").asText(), a.path("annotations").path("summary").asText(), a.path("startsAt").asText())));
                }
            }
            firing.sort(java.util.Comparator.comparing((LiveAlert a) -> severityRank(a.alert().severity())).thenComparing(a -> a.alert().name())
                    .thenComparing(a -> a.alert().instance()));
            return new Live(true, age, up, List.copyOf(firing));
        }

        private static int severityRank(String s) {
            return switch (s) {
                case "CRIT" -> 0;
                case "WARN" -> 1;
                default -> 2;
            };
        }

        private static JsonNode json(String s) {
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return JSON.readTree(s);
            } catch (IOException e) {
                return null;
            }
        }

        private static Iterable<JsonNode> results(JsonNode r) {
            return r == null ? List.of() : r.path("data").path("result");
        }

        private static Optional<Double> number(JsonNode series) {
            try {
                double d = Double.parseDouble(series.path("value").path(1).asText());
                return Double.isNaN(d) ? Optional.empty() : Optional.of(d);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
