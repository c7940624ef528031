package dev.pig.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import dev.pig.cli.views.View;
import dev.pig.core.diag.PigException;
import dev.pig.core.inventory.Var;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgDatabase;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgUser;
import dev.pig.core.param.ParamText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pig inventory validate|show}: check an inventory and look at what pig made of it. */
@Command(name = "inventory", description = "Validate an inventory, show the model pig builds from it, or replace its guessable passwords.",
        subcommands = {InventoryCommand.Validate.class, InventoryCommand.Show.class, InventoryPasswords.class})
public final class InventoryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static void printWarnings(PrintWriter err, ModelLoader.Loaded loaded) {
        new View(err, err).warnings(loaded);
    }

    /** {@code pig inventory validate}: exit 0 when valid (warnings on stderr), 65 with every error. */
    @Command(name = "validate", description = "Check an inventory without touching any host.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions options;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = options.load();
            PrintWriter out = spec.commandLine().getOut();
            InventoryPasswords.warn(loaded, options.inventory);
            printWarnings(spec.commandLine().getErr(), loaded);
            ClusterModel m = loaded.model();
            int warnings = loaded.diagnostics().warnings().size();
            out.println(options.inventory + " is valid: " + m.nodes().size() + " host(s), "
                    + m.pgClusters().size() + " PostgreSQL cluster(s), "
                    + m.etcd().map(e -> e.members().size() + " etcd member(s)").orElse("no etcd") + ", "
                    + m.redis().size() + " Redis cluster(s), " + m.minio().size() + " MinIO cluster(s)"
                    + (warnings > 0 ? "; " + warnings + " warning(s)" : "") + ".");
            return ExitCodes.OK;
        }
    }

    /** {@code pig inventory show [CLUSTER|HOST]}: the resolved model, with where each value came from. */
    @Command(name = "show", description = "Show the resolved model: clusters, hosts and each variable's origin.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions options;

        @Parameters(arity = "0..1", paramLabel = "CLUSTER|HOST", description = "Show only this cluster or host.")
        String target;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Option(names = "--defaults", description = "Also list every parameter left at its default.")
        boolean defaults;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = options.load();
            printWarnings(spec.commandLine().getErr(), loaded);
            ClusterModel m = loaded.model();
            List<Node> nodes = m.nodes();
            List<PgCluster> clusters = m.pgClusters();
            if (target != null) {
                Optional<PgCluster> c = m.pgCluster(target);
                Optional<Node> n = m.node(target);
                if (c.isPresent()) {
                    clusters = List.of(c.get());
                    nodes = nodes.stream().filter(x -> c.get().instance(x.id()).isPresent()).toList();
                } else if (n.isPresent()) {
                    clusters = clusters.stream().filter(x -> x.instance(n.get().id()).isPresent()).toList();
                    nodes = List.of(n.get());
                } else {
                    throw new PigException(PigException.Kind.USAGE, "'" + target + "' is neither a PostgreSQL cluster nor a host of "
                            + options.inventory + "\n  Clusters: " + String.join(", ", m.pgClusters().stream().map(PgCluster::name).toList()));
                }
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("inventory", options.inventory.toString());
            Map<String, Object> cv = new LinkedHashMap<>();
            clusters.forEach(c -> cv.put(c.name(), clusterView(c)));
            view.put("pg_clusters", cv);
            if (target == null) {
                m.etcd().ifPresent(e -> view.put("etcd", Map.of("name", e.name(), "members",
                        e.members().stream().map(x -> x.name() + " " + x.ip() + ":" + x.port()).toList())));
                if (!m.infra().isEmpty()) {
                    view.put("infra", m.infra().stream().map(i -> "infra-" + i.seq() + " " + i.ip()).toList());
                }
                if (!m.redis().isEmpty()) {
                    Map<String, Object> rv = new LinkedHashMap<>();
                    m.redis().forEach(r -> rv.put(r.name(), Map.of("mode", r.mode().name().toLowerCase(java.util.Locale.ROOT),
                            "instances", r.nodes().stream().flatMap(n -> n.instances().stream().map(i -> i.name() + " " + n.ip() + ":" + i.port())).toList())));
                    view.put("redis", rv);
                }
                if (!m.minio().isEmpty()) {
                    Map<String, Object> mv = new LinkedHashMap<>();
                    m.minio().forEach(x -> mv.put(x.name(), x.members().stream().map(y -> x.name() + "-" + y.seq() + " " + y.ip() + ":" + y.port()).toList()));
                    view.put("minio", mv);
                }
            }
            Map<String, Object> hv = new LinkedHashMap<>();
            for (Node n : nodes) {
                hv.put(n.id(), hostView(n, m.varsOf(n.id())));
            }
            view.put("hosts", hv);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, view);
            } else {
                printText(out, view);
            }
            return ExitCodes.OK;
        }

        private Map<String, Object> clusterView(PgCluster c) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("group", c.group());
            v.put("pg_version", c.version());
            List<String> inst = c.instances().stream().map(Show::instanceText).toList();
            v.put("instances", inst);
            v.put("users", c.users().stream().map(Show::userText).toList());
            v.put("databases", c.databases().stream().map(Show::dbText).toList());
            v.put("hba_rules", c.hbaRules().size());
            v.put("services", c.services().stream().map(s -> c.name() + "-" + s.name() + " :" + s.port() + " -> " + s.dest()).toList());
            c.vipAddress().ifPresent(x -> v.put("vip", x));
            return v;
        }

        private static String instanceText(PgInstance i) {
            return i.name() + " " + i.ip() + ":" + i.port() + " " + i.role().value()
                    + i.upstream().map(u -> " upstream=" + u).orElse("")
                    + (i.offlineQuery() ? " offline_query" : "");
        }

        private static String userText(PgUser u) {
            return u.name() + (u.password().isPresent() ? " password=" + u.password().get() : "")
                    + (u.roles().isEmpty() ? "" : " roles=" + u.roles())
                    + (u.superuser() ? " superuser" : "") + (u.pgbouncer() ? " pgbouncer" : "")
                    + (u.state() == PgUser.State.ABSENT ? " state=absent" : "");
        }

        private static String dbText(PgDatabase d) {
            return d.name() + d.owner().map(o -> " owner=" + o).orElse("")
                    + (d.extensions().isEmpty() ? "" : " extensions=" + d.extensions().stream().map(PgDatabase.Extension::name).toList())
                    + (d.state() != PgDatabase.State.CREATE ? " state=" + d.state().name().toLowerCase(java.util.Locale.ROOT) : "");
        }

        private Map<String, Object> hostView(Node n, ClusterModel.HostVars vars) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("nodename", n.nodename());
            v.put("connect", n.sshUser() + "@" + n.address() + ":" + n.sshPort());
            v.put("groups", n.groups());
            Map<String, Object> vv = new TreeMap<>();
            for (Var x : vars.explicit().values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("value", masked(x.name(), x.value()));
                e.put("origin", x.originText());
                if (x.source().known()) {
                    e.put("source", x.source().file() + ":" + x.source().line());
                }
                vv.put(x.name(), e);
            }
            if (defaults) {
                vars.defaults().forEach((k, d) -> vv.computeIfAbsent(k, key -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("value", masked(k, d));
                    e.put("origin", "default");
                    return e;
                }));
            }
            v.put("vars", vv);
            return v;
        }

        /**
         * Secrets are shown as ***: secret parameters, and every {@code password} (or
         * {@code *_password}) inside a value, such as the passwords of {@code pg_users} entries.
         */
        static Object masked(String name, Object value) {
            if (value == null) {
                return null;
            }
            boolean secret = dev.pig.core.param.ParamCatalog.builtIn().find(name)
                    .map(p -> p.type() == dev.pig.core.param.ParamType.SECRET).orElse(false)
                    || name.toLowerCase(java.util.Locale.ROOT).contains("password");
            if (secret && !(value instanceof Map) && !(value instanceof List)) {
                return "***";
            }
            if (value instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), masked(String.valueOf(k), v)));
                return out;
            }
            if (value instanceof List<?> l) {
                return l.stream().map(x -> x instanceof Map || x instanceof List ? masked("", x) : x).toList();
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        private static void printText(PrintWriter out, Map<String, Object> view) {
            Map<String, Object> clusters = (Map<String, Object>) view.get("pg_clusters");
            clusters.forEach((name, c) -> {
                out.println("PostgreSQL cluster " + name);
                ((Map<String, Object>) c).forEach((k, v) -> {
                    if (v instanceof List<?> l) {
                        out.println("  " + k + ":");
                        l.forEach(x -> out.println("    - " + x));
                    } else {
                        out.println("  " + k + ": " + v);
                    }
                });
                out.println();
            });
            for (String k : List.of("etcd", "infra", "redis", "minio")) {
                if (view.containsKey(k)) {
                    out.println(k + ": " + ParamText.inline(view.get(k)));
                }
            }
            Map<String, Object> hosts = (Map<String, Object>) view.get("hosts");
            hosts.forEach((id, h) -> {
                Map<String, Object> hm = (Map<String, Object>) h;
                out.println();
                out.println("host " + id + (String.valueOf(hm.get("nodename")).isEmpty() ? "" : " (" + hm.get("nodename") + ")")
                        + "  " + hm.get("connect") + "  groups: " + String.join(", ", (List<String>) hm.get("groups")));
                Map<String, Object> vars = (Map<String, Object>) hm.get("vars");
                int width = vars.keySet().stream().mapToInt(String::length).max().orElse(0);
                vars.forEach((k, e) -> {
                    Map<String, Object> em = (Map<String, Object>) e;
                    String value = ParamText.inline(em.get("value"));
                    if (value.length() > 80) {
                        value = value.substring(0, 77) + "...";
                    }
                    out.printf("  %-" + width + "s  %s  [%s%s]%n", k, value, em.get("origin"),
                            em.containsKey("source") ? " " + em.get("source") : "");
                });
            });
        }
    }
}
