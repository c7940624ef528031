package dev.pig.modules.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.pig.core.exec.Parallel;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.Absent;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.Guarded;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.GroupTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Staged;
import dev.pig.core.task.SymlinkTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.core.task.UserTask;
import dev.pig.core.task.ValidatedFile;
import dev.pig.modules.Deployment;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Registered;
import dev.pig.modules.Registration;

/**
 * NODE: every host of the inventory, prepared the way Pigsty's {@code node.yml} does before any
 * database lands on it.
 *
 * <pre>
 * all:
 *   vars:
 *     node_tune: oltp
 *     node_timezone: Europe/Berlin
 *     node_ntp_servers: [ 'pool pool.ntp.org iburst' ]
 *     node_crontab: [ '00 01 * * * postgres /pg/bin/pg-backup full' ]
 *     proxy_env: { http_proxy: 'http://10.10.10.1:8888', https_proxy: 'http://10.10.10.1:8888' }
 * </pre>
 *
 * Stages follow Pigsty's tags: {@code node_name}, {@code node_hosts}, {@code node_repo},
 * {@code node_pkg}, {@code node_tune}, {@code node_ulimit}, {@code node_admin},
 * {@code node_timezone}, {@code node_ntp}, {@code node_crontab}, {@code node_data},
 * {@code node_exporter}, {@code haproxy}, and pig's {@code node_ca} (the CA in every node's
 * trust store), then {@code node_vip} (the node cluster's L2 VIP, {@link NodeVip}). What
 * differs between distributions is in {@link NodeOs}, chosen from each
 * host's facts at plan time.
 */
public final class NodeModule implements Registered {
    static final String HOSTS = "/etc/hosts";
    static final String HOSTNAME = "/etc/hostname";
    static final String RESOLV = "/etc/resolv.conf";
    /** The first line pig writes in resolv.conf, left out when the lines already there are kept. */
    static final String RESOLV_MARK = "# resolvers of node_dns: managed by pig";
    static final String TUNE = "/etc/sysctl.d/60-pig-tune.conf";
    static final String LIMITS = "/etc/security/limits.d/pig.conf";
    static final String CRONTAB = "/etc/cron.d/pig";
    static final String HAPROXY_DIR = "/etc/haproxy";
    static final String HAPROXY_CFG = "/etc/haproxy/haproxy.cfg";
    static final String HAPROXY_UNIT = "haproxy.service";
    static final String HAPROXY_CHECK = "haproxy -c -q -f " + HAPROXY_DIR;
    static final int NOFILE = 655360;
    /** What {@code node_admin_sudo: limited} allows: looking at and driving services, nothing else. */
    static final List<String> LIMITED_SUDO = List.of("/usr/bin/systemctl", "/usr/bin/journalctl", "/usr/bin/ss");

    static final String THP_TMPFILES = "/etc/tmpfiles.d/pig-thp.conf";
    static final String PKI_DIR = "/etc/pki";
    /** The CA's certificate on every node, where Pigsty puts it. */
    static final String CA_CRT = dev.pig.core.pki.CertificateAuthority.ON_NODES;
    static final String TRUST_ANCHOR = "/usr/local/share/ca-certificates/pigsty-ca.crt";
    static final String TRUST_DIR = "/etc/ssl/certs";
    /** The link update-ca-certificates makes for the anchor, once it is in the bundle. */
    static final String TRUST_LINK = "pigsty-ca.pem";

    private final Function<Node, List<String>> currentKeys;
    private final AdminKeys adminKeys;

    /** Authorizes, for {@code node_admin_pk_current}, the public key next to the private key pig connects with. */
    public NodeModule() {
        this(NodeModule::localPublicKeys);
    }

    /** @param currentKeys the public keys pig itself connects to a node with */
    public NodeModule(Function<Node, List<String>> currentKeys) {
        this.currentKeys = currentKeys;
        this.adminKeys = new AdminKeys(comment -> new SecureRandom(), AdminKeys.defaultStore());
    }

    /**
     * @param currentKeys the public keys pig itself connects to a node with
     * @param random      the randomness of the admin user's new key pairs, by key comment
     */
    NodeModule(Function<Node, List<String>> currentKeys, Function<String, SecureRandom> random) {
        this.currentKeys = currentKeys;
        this.adminKeys = new AdminKeys(random);
    }

    /** @param store where key pairs pig makes are kept until applied (see {@link AdminKeys}) */
    NodeModule(Function<Node, List<String>> currentKeys, Function<String, SecureRandom> random, java.nio.file.Path store) {
        this.currentKeys = currentKeys;
        this.adminKeys = new AdminKeys(random, store);
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public List<String> tags() {
        return List.of("node_name", "node_hosts", "node_dns", "node_repo", "node_pkg", "node_tune", "node_ulimit", "node_admin",
                "node_timezone", "node_ntp", "node_crontab", "node_data", "node_exporter", "haproxy", "node_ca", "node_vip", "node_register");
    }

    @Override
    public String registerTag() {
        return "node_register";
    }

    /**
     * What the infra nodes watch of a node: node_exporter (job {@code node}), HAProxy's metrics
     * (job {@code haproxy}) and an ICMP probe of its address (job {@code ping}), labelled with
     * {@code node_cluster} and the nodename; kept under the node's IP, as Pigsty does.
     */
    @Override
    public List<Registration> registrations(ModuleContext ctx, Node node) {
        HostVars v = ctx.vars(node);
        String ins = node.nodename().isEmpty() ? node.id() : node.nodename();
        String cls = node.nodeCluster();
        List<Registration> out = new ArrayList<>();
        if (v.bool("node_exporter_enabled")) {
            out.add(Registration.Target.of("node", node.id(), cls, ins, node.id(), v.integer("node_exporter_port")));
        }
        if (v.bool("haproxy_enabled")) {
            out.add(Registration.Target.of("haproxy", node.id(), cls, ins, node.id(), v.integer("haproxy_exporter_port")));
        }
        out.add(new Registration.Probe("ping", node.id(), Registration.labelsOf(cls, ins, node.id()), "icmp", List.of(node.id())));
        out.addAll(NodeVip.registrations(ctx, node, v));
        return out;
    }

    @Override
    public List<Node> hosts(ClusterModel model) {
        return model.nodes();
    }

    @Override
    public List<FactSection<?>> factSections(ModuleContext ctx) {
        Set<String> keys = new java.util.TreeSet<>();
        for (Node n : ctx.model().nodes()) {
            HostVars v = ctx.vars(n);
            keys.addAll(Tune.keys(v.str("node_tune"), v.integer("node_overcommit_ratio"), v.integer("node_hugepage_count"),
                    v.number("node_hugepage_ratio"), v.dict("node_sysctl_params")));
        }
        return List.of(Virt.SECTION, HaproxyConfigs.SECTION, PackageSources.Files.SECTION, new KernelState(keys));
    }

    @Override
    public List<Staged> tasks(ModuleContext ctx, Node node) {
        HostVars v = ctx.vars(node);
        List<Staged> out = new ArrayList<>();
        name(ctx, node, v).forEach(t -> out.add(ModuleContext.stage(this, 1, "node_name", t)));
        hosts(ctx, node, v).forEach(t -> out.add(ModuleContext.stage(this, 2, "node_hosts", t)));
        out.add(ModuleContext.stage(this, 2, "node_hosts", dns(ctx, node, v)));
        repo(ctx, v).forEach(t -> out.add(ModuleContext.stage(this, 3, "node_repo", t)));
        out.add(ModuleContext.stage(this, 4, "node_pkg", packages(v)));
        tune(ctx, v).forEach(t -> out.add(ModuleContext.stage(this, 5, "node_tune", t)));
        admin(ctx, node, v).forEach(t -> out.add(ModuleContext.stage(this, 6, "node_admin", t)));
        time(ctx, v).forEach(t -> out.add(ModuleContext.stage(this, 7, "time", t)));
        crontab(ctx, v).forEach(t -> out.add(ModuleContext.stage(this, 8, "node_crontab", t)));
        // Pigsty makes node_data 0777; pig keeps it 0755 root: a world-writable directory without
        // the sticky bit lets any local user replace what databases keep under it, and every
        // module creates its own subdirectory there as root anyway
        out.add(ModuleContext.stage(this, 9, "node_data", new DirectoryTask(v.str("node_data"), "0755", "root", "root", "node_data")));
        exporter(ctx, v).forEach(t -> out.add(ModuleContext.stage(this, 10, "node_exporter", t)));
        haproxy(ctx, v).forEach(t -> out.add(ModuleContext.stage(this, 11, "haproxy", t)));
        ca(ctx, v).forEach(t -> out.add(ModuleContext.stage(this, 12, "node_ca", t)));
        NodeVip.tasks(ctx, node, v).forEach(t -> out.add(ModuleContext.stage(this, 13, NodeVip.TAG, t)));
        return out;
    }

    /**
     * What {@code pig node rm} undoes: the monitoring agent and haproxy stop and are disabled, the
     * haproxy configurations and cron jobs pig wrote are removed. Packages, the admin user, kernel
     * settings, time settings, the package proxy (the host may need it to reach its archive) and
     * every data directory stay.
     */
    public List<Staged> removal(ModuleContext ctx, Node node) {
        List<Staged> out = new ArrayList<>();
        out.add(ModuleContext.stage(this, 1, "stop", perOs("unit node_exporter", "node_exporter",
                os -> new UnitTask(os.exporterUnit(), false, false, List.of(), List.of(), "node_exporter"))));
        out.add(ModuleContext.stage(this, 1, "stop", new UnitTask(HAPROXY_UNIT, false, false, List.of(), List.of(), "haproxy")));
        out.add(ModuleContext.stage(this, 2, "remove", new HaproxyConfigs.Removal("haproxy")));
        out.add(ModuleContext.stage(this, 2, "remove", new Absent(CRONTAB, "node_crontab")));
        NodeVip.removal(ctx, node, ctx.vars(node)).forEach(t -> out.add(ModuleContext.stage(this, 2, "remove", t)));
        return out;
    }

    // ---------------------------------------------------------------- node_ca

    /**
     * The inventory's CA on every node: {@code /etc/pki/ca.crt}, where Pigsty keeps it and
     * services and clients name it ({@code sslrootcert}, {@code --cacert}), and in the system's
     * trust store, so curl, Python and apt verify what the CA issued without being told.
     */
    private List<Task> ca(ModuleContext ctx, HostVars v) {
        byte[] pem = ctx.ca(v).pem();
        String bundled = TRUST_DIR + "/" + TRUST_LINK;
        return List.of(
                new DirectoryTask(PKI_DIR, "0755", "root", "root", "node_ca"),
                new FileTask(CA_CRT, pem, "0644", "root", "root", "node_ca", false),
                new FileTask(TRUST_ANCHOR, pem, "0644", "root", "root", "node_ca", false),
                new Deferred("command update-ca-certificates", "node_ca", b -> b.files(bundled), (facts, pctx) ->
                        pctx.firstChanged(List.of(TRUST_ANCHOR)) == null && facts.file(bundled).exists()
                                ? skip("command update-ca-certificates", "the trust store holds the CA (" + bundled + ")", "node_ca")
                                : CommandTask.always("update-ca-certificates", "update-ca-certificates >/dev/null", "node_ca")));
    }

    // ---------------------------------------------------------------- node_name

    private List<Task> name(ModuleContext ctx, Node node, HostVars v) {
        String name = node.nodename();
        if (name.isEmpty()) {
            return List.of(skip("hostname", "no nodename (nor a PostgreSQL instance to name the node after): the hostname stays", "node_name"));
        }
        if (!v.bool("nodename_overwrite")) {
            return List.of(skip("command hostname " + name, "nodename_overwrite is false: the existing hostname stays", "node_name"));
        }
        return List.of(
                ctx.file(HOSTNAME, "node/hostname.ftl", Map.of("nodename", name), "0644", "root", "root", "node_name", false),
                CommandTask.unlessFacts("hostname " + name, b -> { }, f -> f.hostname().equals(name),
                        "the hostname is " + name, "hostname " + dev.pig.core.ssh.Shell.quote(name), "node_name"));
    }

    // ---------------------------------------------------------------- node_hosts

    private List<Task> hosts(ModuleContext ctx, Node node, HostVars v) {
        if (!v.bool("node_write_etc_hosts")) {
            return List.of(skip("file " + HOSTS, "node_write_etc_hosts is false: /etc/hosts is left as it is", "node_hosts"));
        }
        // a node without a nodename keeps its hostname (Pigsty's default), which the facts tell
        return List.of(new Deferred("file " + HOSTS, "node_hosts", b -> b.fileWithContent(HOSTS), (facts, pctx) -> {
            Set<String> records = new LinkedHashSet<>();
            String self = node.nodename().isEmpty() ? facts.hostname() : node.nodename();
            if (!self.isEmpty() && looksLikeIp(node.address())) {
                records.add(node.address() + " " + self);
            }
            v.strings("node_default_etc_hosts").forEach(r -> records.add(adminIp(r, v)));
            v.strings("node_etc_hosts").forEach(r -> records.add(adminIp(r, v)));
            if (v.bool("nodename_exchange")) {
                for (Node n : ctx.model().nodes()) {
                    if (!n.nodename().isEmpty() && looksLikeIp(n.address())) {
                        records.add(n.address() + " " + n.nodename());
                    }
                }
            }
            records.removeIf(String::isBlank);
            return ctx.file(HOSTS, "node/hosts.ftl", Map.of("node_etc_hosts", List.copyOf(records)), "0644", "root", "root",
                    "node_hosts", false);
        }));
    }

    // ---------------------------------------------------------------- node_dns

    /**
     * {@code node_dns_servers} and {@code node_dns_options} in /etc/resolv.conf: put before the
     * lines already there ({@code add}), or in place of them ({@code overwrite}). The default
     * server is the admin node's dnsmasq, so a node of an inventory without an infra node running
     * it ({@code dns_enabled}) keeps its resolv.conf unless {@code node_dns_servers} is set; a
     * resolv.conf that is a link (systemd-resolved's) is left to what manages it.
     */
    private Task dns(ModuleContext ctx, Node node, HostVars v) {
        String method = v.str("node_dns_method");
        if (method.equals("none")) {
            return skip("file " + RESOLV, "node_dns_method is none: /etc/resolv.conf is left as it is", "node_dns");
        }
        boolean explicit = ctx.model().varsOf(node.id()).explicitVar("node_dns_servers").isPresent();
        boolean dnsmasq = ctx.model().infra().stream().anyMatch(i -> Boolean.TRUE.equals(ctx.model().value(i.ip(), "dns_enabled")));
        if (!explicit && !dnsmasq) {
            return skip("file " + RESOLV, "no infra node runs dnsmasq (dns_enabled) and node_dns_servers is not set: /etc/resolv.conf"
                    + " is left as it is", "node_dns");
        }
        List<String> ours = new ArrayList<>();
        v.strings("node_dns_servers").stream().map(s -> adminIp(s, v).strip()).filter(s -> !s.isEmpty()).forEach(s -> ours.add("nameserver " + s));
        v.strings("node_dns_options").stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(ours::add);
        return new Deferred("file " + RESOLV, "node_dns", b -> b.fileWithContent(RESOLV), (facts, pctx) -> {
            FileState s = facts.file(RESOLV);
            if (s.type() == FileState.Type.SYMLINK) {
                return skip("file " + RESOLV, RESOLV + " is a link (to " + s.link() + "): what manages it keeps it", "node_dns");
            }
            List<String> lines = new ArrayList<>(ours);
            if (method.equals("add") && s.exists() && s.content() != null) {
                new String(s.content(), StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !ours.contains(l) && !l.startsWith(RESOLV_MARK)).forEach(lines::add);
            }
            return ctx.file(RESOLV, "node/resolv.conf.ftl", Map.of("lines", lines, "node_dns_method", method), "0644", "root", "root",
                    "node_dns", false);
        });
    }

    // ---------------------------------------------------------------- node_repo

    private List<Task> repo(ModuleContext ctx, HostVars v) {
        List<Task> out = new ArrayList<>();
        Map<String, Object> proxy = v.dict("proxy_env");
        String http = str(proxy.get("http_proxy"));
        String https = str(proxy.get("https_proxy"));
        if (http.isEmpty() && https.isEmpty()) {
            out.add(skip("apt proxy", "proxy_env has no http_proxy or https_proxy: packages are fetched directly", "node_repo"));
        } else {
            Map<String, Object> m = Map.of("http_proxy", http, "https_proxy", https);
            out.add(perOs("file apt proxy", "node_repo", os -> os.aptProxy() == null
                    ? skip("apt proxy", "no package proxy file on " + os.family(), "node_repo")
                    : ctx.file(os.aptProxy(), "node/apt-proxy.ftl", m, "0644", "root", "root", "node_repo", false)));
        }
        PackageSources sources = new PackageSources(v);
        if (sources.modules().isEmpty()) {
            out.add(skip("package sources", "node_repo_modules is empty: the host's own package sources are kept", "node_repo"));
            return out;
        }
        for (String m : sources.modules()) {
            out.add(new Deferred("package sources " + m, "node_repo", b -> NodeOs.known().forEach(os -> b.fileWithContent(os.repo().file(m))),
                    (facts, pctx) -> {
                        NodeOs os = NodeOs.of(facts.os(), facts.host());
                        PackageSources.Module mod = sources.resolve(os, facts.os()).stream().filter(x -> x.name().equals(m)).findFirst().orElseThrow();
                        if (mod.repos().isEmpty()) {
                            return skip("file " + mod.path(), mod.none() + ": pig writes no package sources of module " + m, "node_repo");
                        }
                        return new FileTask(mod.path(), sourcesFile(ctx, os, mod), "0644", "root", "root", "node_repo", false);
                    }));
        }
        out.add(new Deferred("package sources aside", "node_repo", b -> b.sections(PackageSources.Files.NAME), (facts, pctx) -> {
            NodeOs os = NodeOs.of(facts.os(), facts.host());
            Map<String, byte[]> written = PackageSources.written(sources.resolve(os, facts.os()), mod -> sourcesFile(ctx, os, mod));
            if (written.isEmpty()) {
                return skip("package sources", "pig writes no package sources here (node_repo_modules: " + String.join(",", sources.modules())
                        + "), so the host's own are kept whatever node_repo_remove says", "node_repo");
            }
            if (!v.bool("node_repo_remove")) {
                return skip("package sources", "node_repo_remove is false: the host's other package sources stay beside pig's", "node_repo");
            }
            return new PackageSources.Remove(os.repo(), List.copyOf(written.keySet()), "node_repo");
        }));
        out.add(new Deferred("refresh package lists", "node_repo", b -> b.fileWithContent(PackageSources.STAMP).sections(PackageSources.Files.NAME),
                (facts, pctx) -> {
                    NodeOs os = NodeOs.of(facts.os(), facts.host());
                    Map<String, byte[]> written = PackageSources.written(sources.resolve(os, facts.os()), mod -> sourcesFile(ctx, os, mod));
                    if (written.isEmpty()) {
                        return skip("command refresh package lists", "pig writes no package sources here: lists are fetched when packages need them",
                                "node_repo");
                    }
                    return new PackageSources.Refresh(written, "node_repo");
                }));
        return out;
    }

    private static byte[] sourcesFile(ModuleContext ctx, NodeOs os, PackageSources.Module mod) {
        return ctx.render(os.repo().template(), Map.of("module", mod.name(), "repos", mod.repos())).getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- node_pkg

    private Task packages(HostVars v) {
        boolean osDefault = v.raw("node_default_packages") == null;
        List<String> configured = osDefault ? List.of() : splitPackages(v.strings("node_default_packages"));
        List<String> extra = splitPackages(v.strings("node_packages"));
        return perOs("packages node", "node_pkg", os -> {
            Set<String> all = new LinkedHashSet<>(osDefault ? os.defaultPackages() : configured);
            all.addAll(extra);
            if (v.bool("vip_enabled")) {
                all.add("keepalived");
            }
            return new PackagesTask("node", List.copyOf(all), "node_pkg", ModuleContext.PACKAGE_BATCH);
        });
    }

    // ---------------------------------------------------------------- node_tune

    private List<Task> tune(ModuleContext ctx, HostVars v) {
        String profile = v.str("node_tune");
        int overcommit = v.integer("node_overcommit_ratio");
        int count = v.integer("node_hugepage_count");
        double ratio = v.number("node_hugepage_ratio");
        Map<String, Object> extra = v.dict("node_sysctl_params");
        List<Task> out = new ArrayList<>();
        // huge pages by ratio follow the host's memory, known only from its facts
        out.add(new Deferred("file " + TUNE, "node_tune", b -> b.fileWithContent(TUNE), (facts, pctx) -> {
            Map<String, String> s = Tune.settings(profile, overcommit, count, ratio, facts.memory().totalKb(), extra);
            List<Map<String, String>> rows = new ArrayList<>();
            s.forEach((k, x) -> rows.add(Map.of("key", k, "value", x)));
            return ctx.file(TUNE, "node/sysctl-tune.conf.ftl", Map.of("node_tune", profile, "sysctl_settings", rows), "0644", "root", "root",
                    "node_tune", false);
        }));
        out.add(new Deferred("sysctl " + TUNE, "node_tune", b -> b.sections(KernelState.NAME, Virt.NAME), (facts, pctx) ->
                new SysctlApply(TUNE, Tune.settings(profile, overcommit, count, ratio, facts.memory().totalKb(), extra), "node_tune")));
        if (!Tune.disablesThp(profile)) {
            out.add(skip("transparent huge pages", "node_tune is none: transparent huge pages are left as they are", "node_tune"));
        } else {
            // systemd-tmpfiles sets it again at every boot; in a container the host's kernel decides
            out.add(new Deferred("file " + THP_TMPFILES, "node_tune", b -> b.fileWithContent(THP_TMPFILES).sections(Virt.NAME), (facts, pctx) -> {
                Virt.View virt = facts.extra(Virt.SECTION);
                if (virt.inContainer()) {
                    return skip("file " + THP_TMPFILES, "in a container (" + virt.container() + "): " + SysctlApply.IN_CONTAINER
                            + ", transparent huge pages included", "node_tune");
                }
                return ctx.file(THP_TMPFILES, "node/thp.tmpfiles.ftl", Map.of("node_tune", profile, "thp_path", Tune.THP), "0644", "root", "root",
                        "node_tune", false);
            }));
            out.add(new ThpApply("node_tune"));
        }
        out.add(ctx.file(LIMITS, "node/limits.conf.ftl", Map.of("nofile", NOFILE), "0644", "root", "root", "node_ulimit", false));
        return out;
    }

    // ---------------------------------------------------------------- node_admin

    private List<Task> admin(ModuleContext ctx, Node node, HostVars v) {
        if (!v.bool("node_admin_enabled")) {
            return List.of(skip("admin user", "node_admin_enabled is false", "node_admin"));
        }
        String user = v.str("node_admin_username");
        int uid = v.integer("node_admin_uid");
        String home = "/home/" + user;
        List<Task> out = new ArrayList<>();
        out.add(new GroupTask(user, uid, "node_admin"));
        out.add(new UserTask(user, uid, user, home, "/bin/bash", "node_admin"));
        String sudo = v.str("node_admin_sudo");
        String sudoers = "/etc/sudoers.d/" + user;
        if (sudo.equals("none")) {
            out.add(skip("file " + sudoers, "node_admin_sudo is none: " + user + " gets no sudo rights from pig", "node_admin"));
        } else {
            Map<String, Object> m = Map.of("node_admin_username", user, "node_admin_sudo", sudo, "limited_commands", LIMITED_SUDO);
            out.add(new ValidatedFile(ctx.file(sudoers, "node/sudoers.ftl", m, "0440", "root", "root", "node_admin", false),
                    "visudo -cqf"));
        }
        List<String> keys = new ArrayList<>(v.strings("node_admin_pk_list"));
        if (v.bool("node_admin_pk_current")) {
            keys.addAll(currentKeys.apply(node));
        }
        keys.removeIf(String::isBlank);
        boolean exchange = v.bool("node_admin_ssh_exchange");
        String ssh = home + "/.ssh";
        String authorized = ssh + "/authorized_keys";
        if (keys.isEmpty() && !exchange) {
            out.add(skip("file " + authorized, "no key to authorize: node_admin_pk_list is empty, pig's own public key is not at hand "
                    + "and node_admin_ssh_exchange is false", "node_admin"));
            return out;
        }
        out.add(new DirectoryTask(ssh, "0700", user, user, "node_admin"));
        if (exchange) {
            out.add(adminKeys.pair(node.address(), user, keyComment(user, node), "node_admin"));
        }
        // keys are added, never removed, as Pigsty does: a key someone put there by hand keeps working
        out.add(new Deferred("file " + authorized, "node_admin", b -> b.fileWithContent(authorized), (facts, pctx) -> {
            // the exchange is the same for every host of the plan, and so is the file of every host
            // whose copy is the same: each is computed once, so N hosts cost N, not N^2
            Map<String, String> exchanged = exchange ? pctx.shared(new Exchange(ctx), () -> exchangeKeys(ctx, pctx)) : Map.of();
            FileState had = facts.file(authorized);
            Object key = List.of("authorized_keys", ctx, authorized, user, keys, exchanged,
                    had.exists() && had.content() != null ? had.sha256() : had.exists() ? "unread " + facts.host() : "missing");
            return pctx.shared(key, () -> {
                List<String> wanted = new ArrayList<>(keys);
                Map<String, String> blobs = new LinkedHashMap<>();
                exchanged.forEach((label, line) -> {
                    wanted.add(line);
                    blobs.put(label, keyBlob(line));
                });
                return ctx.file(authorized, "node/authorized_keys.ftl", Map.of("keys", mergeKeys(facts, authorized, wanted, blobs)),
                        "0600", user, user, "node_admin", false);
            });
        }));
        return out;
    }

    /** The key of a plan's exchanged keys: one per module context (the inventory's model). */
    private record Exchange(ModuleContext ctx) {
    }

    /**
     * {@code node_admin_ssh_exchange}: the admin key of every host of this run that exchanges
     * keys, by {@code user@host}, as the line that authorizes it.
     */
    private Map<String, String> exchangeKeys(ModuleContext ctx, dev.pig.core.task.PlanContext pctx) {
        List<Exchanging> members = new ArrayList<>();
        for (Node n : ctx.model().nodes()) {
            HostVars nv = ctx.vars(n);
            if (!nv.bool("node_admin_enabled") || !nv.bool("node_admin_ssh_exchange")) {
                continue;
            }
            HostFacts facts = pctx.fleet().get(n.address());
            if (facts == null) {
                continue; // not part of this run (-l), or unreachable
            }
            members.add(new Exchanging(n, nv.str("node_admin_username"), facts));
        }
        // on all cores: a host without a key pair costs a key generation and two files kept until
        // the apply, and a first deploy of N hosts makes N pairs here
        List<Optional<String>> keys = Parallel.map(members, Parallel.CORES,
                m -> adminKeys.publicKey(m.node().address(), m.facts(), m.user(), keyComment(m.user(), m.node())));
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            Exchanging m = members.get(i);
            keys.get(i).ifPresent(k -> out.put(AdminKeys.label(m.user(), m.node().id()), AdminKeys.exchanged(k, m.user(), m.node().id())));
        }
        return out;
    }

    /** A host of the run whose admin key is exchanged: its node, admin user and facts. */
    private record Exchanging(Node node, String user, HostFacts facts) {
    }

    private static String keyComment(String user, Node n) {
        return user + "@" + (n.nodename().isEmpty() ? n.id() : n.nodename());
    }

    /** The keys already authorized, in their order, then every wanted key not among them. */
    static List<String> mergeKeys(HostFacts facts, String path, List<String> wanted) {
        return mergeKeys(facts, path, wanted, Map.of());
    }

    /**
     * As {@link #mergeKeys(HostFacts, String, List)}, and an exchanged key of a host whose key
     * changed ({@code replaced}: {@code user@host} to its current key) gives way to the new one.
     */
    static List<String> mergeKeys(HostFacts facts, String path, List<String> wanted, Map<String, String> replaced) {
        List<String> out = new ArrayList<>();
        FileState s = facts.file(path);
        if (s.exists() && s.content() != null) {
            new String(s.content(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(out::add);
        }
        // by label and by key, in sets: a run exchanging keys among N hosts merges N keys on each
        // of them, and a scan of the file for each would make the run N^2 per host
        Map<String, String> replacedByLabel = new java.util.HashMap<>();
        replaced.forEach((label, blob) -> replacedByLabel.put(" " + label + " " + AdminKeys.MARK, blob));
        out.removeIf(l -> {
            String line = l.strip();
            int at = line.lastIndexOf(" " + AdminKeys.MARK);
            if (at < 0) {
                return false;
            }
            int label = line.lastIndexOf(' ', at - 1);
            String blob = replacedByLabel.get(line.substring(label < 0 ? 0 : label));
            return blob != null && !keyBlob(l).equals(blob);
        });
        java.util.Set<String> have = new java.util.HashSet<>();
        for (String l : out) {
            // a line with options before its key type ("from=... ssh-ed25519 AAAA") has its key later on
            for (String word : l.strip().split("\\s+")) {
                if (word.length() >= 40) {
                    have.add(word);
                }
            }
        }
        for (String k : wanted) {
            String blob = keyBlob(k);
            if (have.add(blob)) {
                out.add(k.strip());
            }
        }
        return out;
    }

    /** The base64 part of an OpenSSH public key line ({@code ssh-ed25519 AAAA... comment}). */
    static String keyBlob(String line) {
        String[] f = line.strip().split("\\s+");
        return f.length >= 2 ? f[1] : line.strip();
    }

    // ---------------------------------------------------------------- node_timezone, node_ntp

    private List<Task> time(ModuleContext ctx, HostVars v) {
        List<Task> out = new ArrayList<>();
        String tz = v.str("node_timezone");
        if (tz.isEmpty()) {
            out.add(skip("timezone", "node_timezone is empty: the timezone stays", "node_timezone"));
        } else {
            out.add(perOs("file timezone", "node_timezone", os -> os.timezoneFile() == null
                    ? skip("timezone file", os.family() + " keeps the zone only in /etc/localtime", "node_timezone")
                    : ctx.file(os.timezoneFile(), "node/timezone.ftl", Map.of("node_timezone", tz), "0644", "root", "root", "node_timezone", false)));
            out.add(new SymlinkTask("/etc/localtime", "/usr/share/zoneinfo/" + tz, "node_timezone"));
        }
        if (!v.bool("node_ntp_enabled")) {
            out.add(skip("chrony", "node_ntp_enabled is false: time synchronisation is left as it is", "node_ntp"));
            return out;
        }
        List<String> servers = v.strings("node_ntp_servers").stream().map(s -> adminIp(s, v)).toList();
        out.add(perOs("file chrony config", "node_ntp", os -> ctx.file(os.chronyConf(), "node/chrony.conf.ftl",
                Map.of("node_ntp_servers", servers, "drift_file", os.chronyDrift(), "keys_file", os.chronyKeys()), "0644", "root", "root",
                "node_ntp", false)));
        out.add(new Deferred("unit chrony", "node_ntp", b -> {
            b.sections(Virt.NAME);
            NodeOs.known().forEach(os -> chronyUnit(os).require(b));
        }, (facts, pctx) -> {
            NodeOs os = NodeOs.of(facts.os(), facts.host());
            Virt.View virt = facts.extra(Virt.SECTION);
            if (virt.inContainer()) {
                return skip("unit " + os.chronyUnit(), "in a container (" + virt.container()
                        + "): the host sets the clock and chrony skips itself without CAP_SYS_TIME; configured, not started", "node_ntp");
            }
            return chronyUnit(os);
        }));
        return out;
    }

    private static Task chronyUnit(NodeOs os) {
        return new UnitTask(os.chronyUnit(), true, true, List.of(os.chronyConf()), List.of(), "node_ntp");
    }

    // ---------------------------------------------------------------- node_crontab

    private List<Task> crontab(ModuleContext ctx, HostVars v) {
        List<String> entries = v.strings("node_crontab");
        if (entries.isEmpty()) {
            return List.of(skip("file " + CRONTAB, "node_crontab is empty", "node_crontab"));
        }
        return List.of(ctx.file(CRONTAB, "node/crontab.ftl", Map.of("node_crontab", entries), "0644", "root", "root", "node_crontab", false));
    }

    // ---------------------------------------------------------------- node_exporter

    private List<Task> exporter(ModuleContext ctx, HostVars v) {
        if (!v.bool("node_exporter_enabled")) {
            return List.of(skip("node_exporter", "node_exporter_enabled is false", "node_exporter"));
        }
        Map<String, Object> m = Map.of("node_exporter_port", v.integer("node_exporter_port"), "node_exporter_options", v.str("node_exporter_options").strip());
        return List.of(
                perOs("packages node_exporter", "node_exporter", os -> new PackagesTask("node_exporter", List.of(os.exporterPackage()), "node_exporter", ModuleContext.PACKAGE_BATCH)),
                perOs("file node_exporter defaults", "node_exporter", os -> ctx.file(os.exporterDefaults(), "node/node-exporter.default.ftl", m,
                        "0644", "root", "root", "node_exporter", false)),
                perOs("unit node_exporter", "node_exporter", os -> new UnitTask(os.exporterUnit(), true, true,
                        List.of(os.exporterDefaults()), List.of(), "node_exporter")));
    }

    // ---------------------------------------------------------------- haproxy

    private List<Task> haproxy(ModuleContext ctx, HostVars v) {
        if (!v.bool("haproxy_enabled")) {
            return List.of(skip("haproxy", "haproxy_enabled is false", "haproxy"));
        }
        boolean auth = v.bool("haproxy_auth_enabled");
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("haproxy_exporter_port", v.integer("haproxy_exporter_port"));
        cfg.put("haproxy_client_timeout", v.str("haproxy_client_timeout"));
        cfg.put("haproxy_server_timeout", v.str("haproxy_server_timeout"));
        cfg.put("haproxy_auth_enabled", auth);
        cfg.put("haproxy_admin_username", v.str("haproxy_admin_username"));
        cfg.put("haproxy_admin_password", v.secret("haproxy_admin_password").reveal());
        List<String> reloadOn = v.bool("haproxy_reload") ? List.of(HAPROXY_CFG) : List.of();
        return List.of(
                new PackagesTask("haproxy", List.of("haproxy"), "haproxy", ModuleContext.PACKAGE_BATCH),
                new DirectoryTask(HAPROXY_DIR, "0755", "root", "root", "haproxy"),
                // the admin password is in it: no diff, no content fetched, readable by haproxy's group only
                ctx.file(HAPROXY_CFG, "node/haproxy.cfg.ftl", cfg, "0640", "root", "haproxy", "haproxy", auth),
                perOs("file haproxy defaults", "haproxy", os -> ctx.file(os.haproxyDefaults(), "node/haproxy.default.ftl",
                        Map.of("config_dir", HAPROXY_DIR), "0644", "root", "root", "haproxy", false)),
                perOs("unit haproxy", "haproxy", os -> new Guarded(new UnitTask(HAPROXY_UNIT, true, true,
                        List.of(os.haproxyDefaults()), reloadOn, "haproxy"), HAPROXY_CHECK)));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A task whose paths or package names depend on the host's distribution: the facts of every
     * known family are asked for, and the host's own family makes the task at plan time.
     */
    static Task perOs(String name, String tag, Function<NodeOs, Task> make) {
        return new Deferred(name, tag, b -> NodeOs.known().forEach(os -> make.apply(os).require(b)),
                (facts, pctx) -> make.apply(NodeOs.of(facts.os(), facts.host())));
    }

    /** A task that has nothing to do, for a reason known from the inventory alone. */
    static Task skip(String name, String reason, String tag) {
        return new Skip(name, tag, reason);
    }

    /** Pigsty's placeholder for the admin node in {@code node_etc_hosts} and {@code node_ntp_servers}. */
    static String adminIp(String s, HostVars v) {
        return s.replace("${admin_ip}", v.str("admin_ip"));
    }

    static List<String> splitPackages(List<String> entries) {
        Set<String> out = new LinkedHashSet<>();
        for (String e : entries) {
            for (String p : e.split("[,\\s]+")) {
                if (!p.isBlank()) {
                    out.add(p.strip());
                }
            }
        }
        return List.copyOf(out);
    }

    private static boolean looksLikeIp(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o).strip();
    }

    /** The {@code .pub} next to the private key pig connects to the node with, when it can be read. */
    static List<String> localPublicKeys(Node node) {
        for (Path key : Deployment.target(node).privateKeys().isEmpty()
                ? List.of(Path.of(System.getProperty("user.home"), ".ssh/id_ed25519"), Path.of(System.getProperty("user.home"), ".ssh/id_rsa"))
                : Deployment.target(node).privateKeys()) {
            Path pub = Path.of(key + ".pub");
            try {
                if (Files.isReadable(pub)) {
                    return Files.readString(pub, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).map(String::strip).toList();
                }
            } catch (IOException e) {
                // unreadable: the key is simply not authorized by pig
            }
        }
        return List.of();
    }
}
