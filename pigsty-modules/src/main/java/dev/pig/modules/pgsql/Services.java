package dev.pig.modules.pgsql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.MemberSelector;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgService;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.core.task.ValidatedFile;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * The cluster's services as HAProxy listeners on every member, or on the nodes of
 * {@code pg_service_provider}:
 *
 * <pre>
 * pg_default_services:
 *   - { name: primary, port: 5433, dest: default, check: /primary, selector: "[]" }
 *   - { name: replica, port: 5434, dest: default, check: /read-only, selector: "[]",
 *       backup: "[? pg_role == `primary` || pg_role == `offline` ]" }
 * </pre>
 *
 * Each service is {@code /etc/haproxy/<cluster>-<service>.cfg}: every member the selector picks
 * is a server, checked on its Patroni REST port with the service's {@code check} path, so the
 * listener follows the primary through a failover; members of {@code backup} take traffic only
 * when no other server is up. A new file is validated with {@code haproxy -c} before it takes
 * its place, files of services no longer in the inventory are removed, and HAProxy is reloaded
 * (never restarted) when any of them changed.
 */
final class Services {
    static final String DIR = "/etc/haproxy";
    static final String MARK = "managed by pig (pg_service)";
    static final String UNIT = "haproxy.service";
    /** Validates a service file with the base configuration, before it replaces the old one. */
    static final String VALIDATE = "haproxy -c -q -f " + DIR + "/haproxy.cfg -f";

    private Services() {
    }

    /** The nodes that publish the services of {@code c}: its {@code pg_service_provider} group, else its members. */
    static List<Node> providers(ClusterModel model, PgCluster c, HostVars clusterVars) {
        String group = clusterVars.str("pg_service_provider");
        List<Node> out = new ArrayList<>();
        if (group.isBlank()) {
            c.instances().forEach(i -> model.node(i.ip()).ifPresent(out::add));
        } else {
            model.nodes().stream().filter(n -> n.groups().contains(group)).forEach(out::add);
        }
        return out;
    }

    /** The clusters whose services {@code node} publishes. */
    static List<PgCluster> servedBy(ModuleContext ctx, Node node) {
        List<PgCluster> out = new ArrayList<>();
        for (PgCluster c : ctx.model().pgClusters()) {
            HostVars cv = ctx.vars(ctx.model().node(c.instances().get(0).ip()).orElseThrow());
            if (providers(ctx.model(), c, cv).stream().anyMatch(n -> n.id().equals(node.id()))) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every service file {@code node} publishes, validated, then the stale ones removed and HAProxy reloaded. */
    static List<Task> tasks(ModuleContext ctx, Node node) {
        List<PgCluster> clusters = servedBy(ctx, node);
        List<Task> out = new ArrayList<>();
        if (clusters.isEmpty()) {
            return out;
        }
        HostVars hv = ctx.vars(node);
        if (!hv.bool("haproxy_enabled")) {
            out.add(new Skip("services of " + String.join(", ", clusters.stream().map(PgCluster::name).toList()), "pg_service",
                    "haproxy_enabled is false on " + node.id()));
            return out;
        }
        List<String> desired = new ArrayList<>();
        for (PgCluster c : clusters) {
            for (PgService s : c.services()) {
                String path = path(c, s);
                desired.add(path);
                String text = ctx.render("pgsql/haproxy-service.cfg.ftl", model(ctx, c, s, node));
                FileTask f = new FileTask(path, text.getBytes(StandardCharsets.UTF_8), "0644", "root", "root", "pg_service", false);
                out.add(new ValidatedFile(f, VALIDATE));
            }
        }
        ServiceFiles section = ServiceFiles.SECTION;
        out.add(new Deferred("stale service files", "pg_service", b -> b.sections(section.name()), (facts, pctx) -> {
            List<String> stale = facts.extra(section).stream().filter(p -> !desired.contains(p)).toList();
            if (stale.isEmpty()) {
                return new Skip("stale service files", "pg_service", "every service file in " + DIR + " is in the inventory");
            }
            return new RemoveFiles("stale service files", stale, "pg_service");
        }));
        out.add(new Reload(desired));
        return out;
    }

    /**
     * Reloads HAProxy when a service file changed or went away, after {@code haproxy -c} passed
     * on the whole directory. {@code reload-or-restart}: NODE may only start HAProxy earlier in the
     * same apply, so what the unit was at plan time says nothing of it now; keeping it running is
     * NODE's task.
     */
    record Reload(List<String> desired) implements Task {
        @Override
        public String name() {
            return "reload " + UNIT;
        }

        @Override
        public String tag() {
            return "pg_service";
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.sections(ServiceFiles.SECTION.name());
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            Set<String> files = new LinkedHashSet<>(desired);
            files.addAll(facts.extra(ServiceFiles.SECTION));
            String cause = ctx.firstChanged(files);
            if (cause == null) {
                return new Change.NoOp(name(), tag(), "no service file changed");
            }
            return new Change.Act(name(), tag(), Action.UPDATE, "reload haproxy (" + cause + " changed)",
                    List.of(Step.Exec.of("haproxy -c -q -f " + DIR, ctx.masker()),
                            Step.Exec.of("systemctl reload-or-restart " + UNIT, ctx.masker())), "");
        }
    }

    static String path(PgCluster c, PgService s) {
        return DIR + "/" + c.name() + "-" + s.name() + ".cfg";
    }

    /** What the service template needs: the listener and its servers in member order. */
    static Map<String, Object> model(ModuleContext ctx, PgCluster c, PgService s, Node host) {
        List<Map<String, Object>> members = new ArrayList<>();
        Map<Map<String, Object>, PgInstance> byMember = new LinkedHashMap<>();
        for (PgInstance i : c.instances()) {
            Map<String, Object> vars = memberVars(ctx, i);
            members.add(vars);
            byMember.put(vars, i);
        }
        List<PgInstance> picked = MemberSelector.parse(s.selector()).select(members).stream().map(byMember::get).toList();
        List<PgInstance> backups = s.backup().isBlank() ? List.of()
                : MemberSelector.parse(s.backup()).select(members).stream().map(byMember::get).toList();
        HostVars cv = ctx.vars(ctx.model().node(c.instances().get(0).ip()).orElseThrow());
        List<Map<String, Object>> servers = new ArrayList<>();
        for (PgInstance i : picked) {
            servers.add(server(ctx, s, i, backups.contains(i)));
        }
        for (PgInstance i : backups) {
            if (!picked.contains(i)) {
                servers.add(server(ctx, s, i, true));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", c.name());
        m.put("service", s.name());
        m.put("host", host.id());
        m.put("members", names(picked));
        m.put("backups", names(backups));
        m.put("bind", s.ip() + ":" + s.port());
        m.put("maxconn", s.maxconn());
        m.put("balance", s.balance());
        m.put("check", s.check());
        m.put("options", s.options().isBlank() ? RtoPlan.of(cv).haproxyChecks()
                + " on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100" : s.options());
        m.put("servers", servers);
        return m;
    }

    private static String names(List<PgInstance> l) {
        return l.isEmpty() ? "none" : String.join(", ", l.stream().map(PgInstance::name).toList());
    }

    private static Map<String, Object> server(ModuleContext ctx, PgService s, PgInstance i, boolean backup) {
        HostVars v = ctx.vars(ctx.model().node(i.ip()).orElseThrow());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("ip", i.ip());
        m.put("port", destPort(s.dest(), v, i));
        m.put("check_port", v.integer("patroni_port"));
        // over TLS the check verifies the member's certificate, by its instance name
        m.put("check_ssl", v.bool("patroni_ssl_enabled"));
        m.put("weight", i.weight());
        m.put("backup", backup);
        return m;
    }

    /** Where a service's {@code dest} points on one instance. */
    static int destPort(String dest, HostVars v, PgInstance i) {
        String d = dest.equals("default") ? v.str("pg_default_service_dest") : dest;
        return switch (d) {
            case "postgres" -> i.port();
            case "pgbouncer" -> v.integer("pgbouncer_port");
            default -> Integer.parseInt(d);
        };
    }

    /**
     * A member as selectors see it: every parameter's value on that host, plus Pigsty's
     * {@code inventory_hostname}, {@code pg_instance} and {@code pg_role} as the inventory says.
     */
    static Map<String, Object> memberVars(ModuleContext ctx, PgInstance i) {
        ClusterModel.HostVars hv = ctx.model().varsOf(i.ip());
        Map<String, Object> m = new LinkedHashMap<>();
        for (Param p : ParamCatalog.builtIn().all()) {
            Object x = hv.value(p.name());
            if (x != null) {
                m.put(p.name(), x);
            }
        }
        m.put("inventory_hostname", i.ip());
        m.put("pg_instance", i.name());
        m.put("pg_role", i.role().name().toLowerCase(java.util.Locale.ROOT));
        m.put("pg_seq", i.seq());
        m.put("pg_offline_query", i.offlineQuery());
        m.put("pg_weight", i.weight());
        return m;
    }

    /** Files to delete in one step, each recorded as changed so what depends on them reloads. */
    record RemoveFiles(String name, List<String> paths, String tag) implements Task {
        @Override
        public void require(FactRequest.Builder facts) {
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            paths.forEach(ctx::changed);
            String rm = "rm -f -- " + String.join(" ", paths.stream().map(Shell::quote).toList());
            return new Change.Act(name, tag, Action.DELETE, "remove " + String.join(", ", paths),
                    List.of(Step.Exec.of(rm, ctx.masker())), "");
        }
    }

    /**
     * The service files pig wrote on a host: {@code /etc/haproxy/*.cfg} whose first line carries
     * {@value #MARK}; what NODE or a person wrote there is not listed.
     */
    static final class ServiceFiles implements FactSection<List<String>> {
        static final ServiceFiles SECTION = new ServiceFiles();

        @Override
        public String name() {
            return "pgsql.service-files";
        }

        @Override
        public String script() {
            return FactSection.markedFiles(DIR + "/*.cfg", MARK);
        }

        @Override
        public List<String> parse(String output) {
            return output.lines().map(String::strip).filter(l -> l.startsWith(DIR + "/") && l.endsWith(".cfg")).sorted().toList();
        }
    }
}
