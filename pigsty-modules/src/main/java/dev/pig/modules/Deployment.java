package dev.pig.modules;

import java.nio.file.Path;
import java.util.ArrayList;
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
        Map<String, List<Task>> byHost = new LinkedHashMap<>();
        for (PigModule m : modules) {
            if (!sel.module(m.name())) {
                continue;
            }
            sections.addAll(m.factSections(ctx));
            for (Node n : m.hosts(model)) {
                if (!hosts.contains(n.id())) {
                    continue;
                }
                for (var t : removal ? m.removal(ctx, n) : m.tasks(ctx, n)) {
                    if (sel.task(m.name(), t)) {
                        byHost.computeIfAbsent(n.id(), k -> new ArrayList<>()).add(t);
                    }
                }
            }
        }
        for (Node n : model.nodes()) {
            SshTarget t = target(n, model.varsOf(n.id()));
            targets.put(t.host(), t);
            if (byHost.containsKey(n.id())) {
                work.put(t, byHost.get(n.id()));
            }
        }
        this.masker = new Masker(secrets(model));
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

    /** Every secret value the inventory holds: secret parameters and user passwords. */
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
