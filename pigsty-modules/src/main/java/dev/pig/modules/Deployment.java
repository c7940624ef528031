package dev.pig.modules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pig.core.fact.FactSection;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgUser;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;
import dev.pig.core.param.ParamType;
import dev.pig.core.plan.Masker;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;

/**
 * Turns a model and a {@link Selection} into the engine's input: for every selected host, the
 * staged tasks of every module that manages it, in deployment order; how to reach each host;
 * and every secret of the inventory, so nothing shown or logged reveals one.
 */
public final class Deployment {
    private final ClusterModel model;
    private final Map<String, SshTarget> targets = new LinkedHashMap<>();
    private final Map<SshTarget, List<Task>> work = new LinkedHashMap<>();
    private final List<FactSection<?>> sections = new ArrayList<>();
    private final Masker masker;

    private Deployment(ClusterModel model, List<PigModule> modules, ModuleContext ctx, Selection sel, boolean removal) {
        this.model = model;
        Set<String> hosts = sel.hosts(model);
        // a removal tells the modules which hosts go, so what stays is not read from who has facts
        ModuleContext mctx = removal ? ctx.removing(hosts) : ctx;
        Map<String, List<Task>> byHost = new LinkedHashMap<>();
        for (PigModule m : modules) {
            if (!sel.module(m.name())) {
                continue;
            }
            sections.addAll(m.factSections(mctx));
            for (Node n : m.hosts(model)) {
                if (!hosts.contains(n.id())) {
                    continue;
                }
                for (var t : removal ? m.removal(mctx, n) : m.tasks(mctx, n)) {
                    if (sel.task(m.name(), t)) {
                        byHost.computeIfAbsent(n.id(), k -> new ArrayList<>()).add(t);
                    }
                }
            }
        }
        registry(modules, mctx, sel, hosts, removal).forEach((id, tasks) -> byHost.computeIfAbsent(id, k -> new ArrayList<>()).addAll(tasks));
        for (Node n : model.nodes()) {
            SshTarget t = target(n, model.varsOf(n.id()));
            targets.put(t.host(), t);
            if (byHost.containsKey(n.id())) {
                work.put(t, byHost.get(n.id()));
            }
        }
        this.masker = new Masker(secrets(model));
    }

    /**
     * The work of every {@link Registrar} on its hosts, selected by the run or not: a deploy
     * registers the instances it deploys (all of them where the registrar itself is deployed), a
     * removal deletes the entries of the instances it removes that no other instance declares.
     */
    private static Map<String, List<Staged>> registry(List<PigModule> modules, ModuleContext ctx, Selection sel, Set<String> hosts,
                                                      boolean removal) {
        Map<String, List<Staged>> out = new LinkedHashMap<>();
        List<Registrar> registrars = modules.stream().filter(m -> m instanceof Registrar).map(m -> (Registrar) m).toList();
        if (registrars.isEmpty()) {
            return out;
        }
        // what each instance declares: in this run's scope (its module and host selected), or not
        Declared d = declared(modules, ctx, (m, n) -> sel.module(m.name()) && hosts.contains(n.id())
                && (!removal || !m.removal(ctx, n).isEmpty()) && sel.tag(m.name(), ((Registered) m).registerTag()));
        List<Registrar.Tagged> inScope = d.inScope();
        List<Registrar.Tagged> all = d.all();
        for (Registrar reg : registrars) {
            for (Node n : reg.hosts(ctx.model())) {
                boolean self = sel.module(reg.name()) && hosts.contains(n.id());
                List<Staged> tasks;
                if (removal) {
                    if (self) {
                        continue; // the registrar itself goes from this host: its removal says what stays
                    }
                    tasks = reg.deregister(ctx, n, d.gone());
                } else if (self) {
                    // where the registrar is deployed it writes every entry the inventory declares
                    List<Registrar.Tagged> wanted = all.stream().filter(t -> sel.tag(reg.name(), t.tag())
                            || sel.tag(moduleOf(modules, t), t.tag()) || sel.tags().contains(reg.registerTag())).toList();
                    tasks = reg.register(ctx, n, distinct(wanted), wanted.size() == all.size());
                } else {
                    tasks = reg.register(ctx, n, distinct(inScope), false);
                }
                if (!tasks.isEmpty()) {
                    out.computeIfAbsent(n.id(), k -> new ArrayList<>()).addAll(tasks);
                }
            }
        }
        return out;
    }

    /**
     * What the registrars' hosts delete when an {@link Operation} removes {@code module} from
     * {@code removed} ({@code pig etcd rm}): the entries of those instances no other declares.
     */
    public static Map<Node, List<Task>> deregistration(ModuleContext ctx, List<PigModule> modules, String module, Collection<Node> removed) {
        Set<String> ids = new LinkedHashSet<>();
        removed.forEach(n -> ids.add(n.id()));
        Declared d = declared(modules, ctx, (m, n) -> m.name().equals(module) && ids.contains(n.id()));
        Map<Node, List<Task>> out = new LinkedHashMap<>();
        for (PigModule m : modules) {
            if (m instanceof Registrar reg) {
                for (Node n : reg.hosts(ctx.model())) {
                    List<Staged> tasks = reg.deregister(ctx, n, d.gone());
                    if (!tasks.isEmpty()) {
                        out.computeIfAbsent(n, k -> new ArrayList<>()).addAll(tasks);
                    }
                }
            }
        }
        return out;
    }

    /**
     * What every instance of the {@link Registered} modules declares, split by whether the run
     * covers the instance.
     */
    private record Declared(List<Registrar.Tagged> inScope, List<Registrar.Tagged> outOfScope, List<Registrar.Tagged> all) {

        /** The entries of the instances in scope that no instance out of it declares too. */
        List<Registrar.Tagged> gone() {
            Set<String> kept = new LinkedHashSet<>();
            outOfScope.forEach(t -> kept.add(t.entry().key()));
            return distinct(inScope.stream().filter(t -> !kept.contains(t.entry().key())).toList());
        }
    }

    private static Declared declared(List<PigModule> modules, ModuleContext ctx, java.util.function.BiPredicate<PigModule, Node> scoped) {
        List<Registrar.Tagged> inScope = new ArrayList<>();
        List<Registrar.Tagged> outOfScope = new ArrayList<>();
        List<Registrar.Tagged> all = new ArrayList<>();
        for (PigModule m : modules) {
            if (!(m instanceof Registered r)) {
                continue;
            }
            for (Node n : m.hosts(ctx.model())) {
                boolean in = scoped.test(m, n);
                for (Registration e : r.registrations(ctx, n)) {
                    Registrar.Tagged t = new Registrar.Tagged(e, r.registerTag());
                    all.add(t);
                    (in ? inScope : outOfScope).add(t);
                }
            }
        }
        return new Declared(inScope, outOfScope, all);
    }

    /** The name of the module whose register tag {@code t} carries. */
    private static String moduleOf(List<PigModule> modules, Registrar.Tagged t) {
        return modules.stream().filter(m -> m instanceof Registered r && r.registerTag().equals(t.tag())).map(PigModule::name)
                .findFirst().orElse("");
    }

    /** One entry per key, the first declaration winning (members of a cluster declare its DNS name alike). */
    private static List<Registrar.Tagged> distinct(List<Registrar.Tagged> entries) {
        Map<String, Registrar.Tagged> out = new LinkedHashMap<>();
        entries.forEach(t -> out.putIfAbsent(t.entry().key(), t));
        return List.copyOf(out.values());
    }

    /** The deployment of {@code modules} (in their order) over the selected hosts. */
    public static Deployment of(ClusterModel model, List<PigModule> modules, ModuleContext ctx, Selection sel) {
        List<PigModule> ordered = new ArrayList<>(modules);
        ordered.sort(java.util.Comparator.comparingInt(PigModule::order));
        return new Deployment(model, ordered, ctx, sel, false);
    }

    /**
     * What removing {@code modules} from the selected hosts takes (their {@link PigModule#removal}
     * tasks), in reverse deployment order: what was deployed last goes first.
     */
    public static Deployment removal(ClusterModel model, List<PigModule> modules, ModuleContext ctx, Selection sel) {
        List<PigModule> ordered = new ArrayList<>(modules);
        ordered.sort(java.util.Comparator.comparingInt(PigModule::order).reversed());
        return new Deployment(model, ordered, ctx, sel, true);
    }

    public ClusterModel model() {
        return model;
    }

    /** Tasks per host, for the planner. */
    public Map<SshTarget, List<Task>> work() {
        return work;
    }

    /** How to reach every host of the inventory, by the name the plan uses. */
    public Map<String, SshTarget> targets() {
        return targets;
    }

    public List<FactSection<?>> factSections() {
        return sections;
    }

    public Masker masker() {
        return masker;
    }

    /**
     * Where pig reaches a node and with which key: {@code ansible_host}, {@code ansible_port},
     * {@code ansible_user}, {@code ansible_ssh_private_key_file}; for how, see
     * {@link #target(Node, ClusterModel.HostVars)}.
     */
    public static SshTarget target(Node n) {
        List<Path> keys = n.privateKeyFile().map(k -> List.of(expandHome(k))).orElse(List.of());
        return new SshTarget(n.address(), n.sshPort(), n.sshUser(), keys, true, isLoopback(n.address()));
    }

    /**
     * How pig reaches a node, as Ansible would: {@code ansible_connection: local} (or a loopback
     * address with no connection set) runs commands on this machine as the user running pig;
     * {@code ansible_become: false} runs them as the login user, without sudo.
     *
     * <pre>
     * all: { hosts: { 127.0.0.1: { ansible_connection: local, ansible_become: false } } }
     * </pre>
     */
    public static SshTarget target(Node n, ClusterModel.HostVars vars) {
        SshTarget t = target(n);
        Object connection = vars == null ? null : vars.value("ansible_connection");
        boolean local = connection == null ? t.local() : "local".equals(String.valueOf(connection));
        boolean become = vars == null || !Boolean.FALSE.equals(vars.value("ansible_become"));
        String user = local ? System.getProperty("user.name") : t.user();
        return new SshTarget(t.host(), t.port(), user, t.privateKeys(), become, local);
    }

    private static boolean isLoopback(String address) {
        return address.equals("127.0.0.1") || address.equals("localhost");
    }

    static Path expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + p.substring(1));
        }
        return Path.of(p);
    }

    /** Every secret value the inventory holds: secret parameters, user passwords, sentinels' masters' passwords. */
    static Set<String> secrets(ClusterModel model) {
        Set<String> out = new LinkedHashSet<>();
        List<Param> secretParams = ParamCatalog.builtIn().all().stream().filter(p -> p.type() == ParamType.SECRET).toList();
        for (ClusterModel.HostVars v : model.vars().values()) {
            for (Param p : secretParams) {
                Object value = v.value(p.name());
                if (value != null && !String.valueOf(value).isBlank()) {
                    out.add(String.valueOf(value));
                }
            }
        }
        for (PgCluster c : model.pgClusters()) {
            for (PgUser u : c.users()) {
                u.password().ifPresent(s -> out.add(s.reveal()));
            }
        }
        // the masters' passwords a sentinel cluster lists in redis_sentinel_monitor
        model.redis().forEach(c -> c.monitors().forEach(m -> m.password().ifPresent(s -> out.add(s.reveal()))));
        model.minio().forEach(c -> c.users().forEach(u -> out.add(u.secretKey().reveal())));
        // pgBackRest's passphrase and S3 secret key, of the repository each cluster uses
        for (PgCluster c : model.pgClusters()) {
            for (var i : c.instances()) {
                ClusterModel.HostVars v = model.varsOf(i.ip());
                if (v != null && v.value("pgbackrest_repo") instanceof Map<?, ?> repos
                        && repos.get(String.valueOf(v.value("pgbackrest_method"))) instanceof Map<?, ?> opts) {
                    opts.forEach((k, x) -> {
                        String key = String.valueOf(k);
                        if ((key.contains("pass") || key.contains("secret")) && x != null && !String.valueOf(x).isBlank()) {
                            out.add(String.valueOf(x));
                        }
                    });
                }
            }
        }
        // a password that is also a name of the inventory (user test, password test, in pg-test)
        // hides nothing, and masking it would garble every name it appears in
        Set<String> names = new LinkedHashSet<>();
        model.nodes().forEach(n -> {
            names.add(n.id());
            names.add(n.nodename());
            names.addAll(n.groups());
        });
        for (PgCluster c : model.pgClusters()) {
            names.add(c.name());
            c.users().forEach(u -> names.add(u.name()));
            c.databases().forEach(d -> names.add(d.name()));
        }
        out.removeIf(secret -> names.stream().anyMatch(n -> n.contains(secret)));
        return out;
    }
}
