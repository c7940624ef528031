package dev.pig.modules.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.Node;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Change;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CertificateTask;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.modules.Deployment;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;
import dev.pig.modules.Registered;
import dev.pig.modules.Registration;

/**
 * ETCD: one etcd cluster from the group with {@code etcd_cluster}, one member per host with
 * {@code etcd_seq}.
 *
 * <pre>
 * etcd:
 *   hosts:
 *     10.10.10.10: { etcd_seq: 1 }
 *     10.10.10.11: { etcd_seq: 2 }
 *     10.10.10.12: { etcd_seq: 3 }
 *   vars: { etcd_cluster: etcd }
 * </pre>
 *
 * A new cluster's members start together; a member added to a running cluster is first added
 * with {@code member add} and starts with {@code initial-cluster-state: existing}. The
 * {@code initial-*} settings matter only when a member's data directory is created, so a change
 * to them alone (a member joined elsewhere) updates the file without restarting etcd. A change
 * etcd reads at every start (an election timeout) restarts the running members one at a time, in
 * {@code etcd_seq} order, each once the others hold quorum and healthy again before the next
 * ({@link EtcdService}). Whether each member answers is a fact ({@link EtcdHealth}), which
 * {@code pig etcd rm} weighs before it removes one ({@link EtcdQuorum}).
 */
public final class EtcdModule implements Registered {
    static final String CONF = "/etc/etcd/etcd.conf";
    static final String UNIT = "/etc/systemd/system/etcd.service";
    /** The member's CA, certificate and key ({@code etcd_tls}): etcd's own directory, its key made there by etcd. */
    static final String PKI = "/etc/etcd/pki";
    /** Marks, within a host's plan, that settings etcd reads at every start have changed. */
    static final String RUNTIME_CHANGED = "etcd: runtime settings";
    static final List<String> PACKAGES = List.of("etcd-server", "etcd-client");

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public List<String> tags() {
        return List.of("etcd_install", "etcd_dir", "etcd_config", "etcd_member", "etcd_launch", "etcd_auth", "etcd_register");
    }

    @Override
    public String registerTag() {
        return "etcd_register";
    }

    /**
     * A member's metrics on its client port (job {@code etcd}), under its name: {@code etcd-1};
     * over https with {@code etcd_tls}.
     */
    @Override
    public List<Registration> registrations(ModuleContext ctx, Node node) {
        EtcdCluster cluster = ctx.model().etcd().orElseThrow();
        EtcdCluster.Member me = member(cluster, node);
        if (tls(ctx) == null) {
            return List.of(Registration.Target.of("etcd", me.name(), cluster.name(), me.name(), me.ip(), me.port()));
        }
        // over https, where VictoriaMetrics shows its own client certificate (the scrape config's cert_file)
        Map<String, String> labels = new LinkedHashMap<>(Registration.labelsOf(cluster.name(), me.name(), me.ip()));
        labels.put("__scheme__", "https");
        return List.of(new Registration.Target("etcd", me.name(), labels, me.ip() + ":" + me.port(), ""));
    }

    @Override
    public List<Node> hosts(ClusterModel model) {
        return model.etcd().map(e -> e.members().stream().map(m -> model.node(m.ip()).orElseThrow()).toList())
                .orElse(List.of());
    }

    @Override
    public List<FactSection<?>> factSections(ModuleContext ctx) {
        return ctx.model().etcd().isEmpty() ? List.of() : List.of(members(ctx), health(ctx));
    }

    private static EtcdMembers members(ModuleContext ctx) {
        EtcdCluster e = ctx.model().etcd().orElseThrow();
        return new EtcdMembers(Etcdctl.local(e.members().get(0).port(), tls(ctx)).inlinePrelude(rootPassword(ctx)) + Etcdctl.FUNCTION);
    }

    private static EtcdHealth health(ModuleContext ctx) {
        EtcdCluster e = ctx.model().etcd().orElseThrow();
        return new EtcdHealth(e.members().stream().map(m -> clientUrl(m, tls(ctx))).toList(), e.members().get(0).port(), rootPassword(ctx),
                tls(ctx));
    }

    /** etcd's root password: a global parameter, so any member's value. */
    private static Secret rootPassword(ModuleContext ctx) {
        EtcdCluster e = ctx.model().etcd().orElseThrow();
        return ctx.vars(ctx.model().node(e.members().get(0).ip()).orElseThrow()).secret("etcd_root_password");
    }

    /**
     * How pig's etcdctl on a member reaches etcd: over https with the member's own certificate
     * when {@code etcd_tls} (a global parameter, so any member's value), else null (plain http).
     */
    static Etcdctl.Tls tls(ModuleContext ctx) {
        EtcdCluster e = ctx.model().etcd().orElseThrow();
        return ctx.vars(ctx.model().node(e.members().get(0).ip()).orElseThrow()).bool("etcd_tls") ? Etcdctl.MEMBER : null;
    }

    static String clientUrl(EtcdCluster.Member m, Etcdctl.Tls tls) {
        return Etcdctl.scheme(tls) + "://" + m.ip() + ":" + m.port();
    }

    static String peerUrl(EtcdCluster.Member m, Etcdctl.Tls tls) {
        return Etcdctl.scheme(tls) + "://" + m.ip() + ":" + m.peerPort();
    }

    /**
     * Whether etcd serves https once this run is done, as the run plans each member
     * ({@link Scheme}): empty when some member is not part of the run, so the run cannot say.
     * PGSQL moves Patroni to https along with it, paused around the move.
     */
    public static Optional<Boolean> httpsAfterRun(ModuleContext ctx, PlanContext pctx) {
        EtcdCluster e = ctx.model().etcd().orElse(null);
        if (e == null) {
            return Optional.empty();
        }
        boolean https = true;
        for (EtcdCluster.Member m : e.members()) {
            HostFacts f = ctx.model().node(m.ip()).map(n -> pctx.fleet().get(Deployment.target(n).host())).orElse(null);
            if (f == null || !f.request().fileContents().contains(CONF)) {
                return Optional.empty();
            }
            Node n = ctx.model().node(m.ip()).orElseThrow();
            https &= scheme(ctx, ctx.vars(n)).https(f, pctx);
        }
        return Optional.of(https);
    }

    /** How a member's scheme after the run is judged: from its data directory and {@code etcd_tls}. */
    private static Scheme scheme(ModuleContext ctx, HostVars v) {
        return new Scheme(ctx, tls(ctx) != null, v.str("etcd_data") + "/member");
    }

    /** The first line of a step's stdin that runs {@link Etcdctl#FUNCTION} as root. */
    static String rootCredentials(HostVars v) {
        return Etcdctl.credentials("root", v.secret("etcd_root_password"));
    }

    /**
     * Where a member listens for clients: its own address, and 127.0.0.1 for pig's and Patroni's
     * local checks; once when the member's address is 127.0.0.1 (etcd refuses a URL given twice).
     */
    static List<String> clientUrls(String ip, int port, String scheme) {
        return List.copyOf(new java.util.LinkedHashSet<>(List.of(scheme + "://" + ip + ":" + port, scheme + "://127.0.0.1:" + port)));
    }

    @Override
    public List<Staged> tasks(ModuleContext ctx, Node node) {
        EtcdCluster cluster = ctx.model().etcd().orElseThrow();
        EtcdCluster.Member me = member(cluster, node);
        HostVars v = ctx.vars(node);
        String data = v.str("etcd_data");
        Etcdctl.Tls tls = tls(ctx);
        String peerUrl = peerUrl(me, tls);
        Etcdctl local = Etcdctl.local(me.port(), tls);
        EtcdMembers section = members(ctx);
        EtcdHealth health = health(ctx);
        Scheme scheme = scheme(ctx, v);
        List<Staged> out = new ArrayList<>();

        out.add(ModuleContext.stage(this, 1, "install", new PackagesTask("etcd", PACKAGES, "etcd_install", ModuleContext.PACKAGE_BATCH)));
        out.add(ModuleContext.stage(this, 2, "dirs", new DirectoryTask(data, "0700", "etcd", "etcd", "etcd_dir")));
        out.add(ModuleContext.stage(this, 2, "dirs", new DirectoryTask("/etc/etcd", "0755", "root", "root", "etcd_dir")));
        if (tls != null) {
            out.add(ModuleContext.stage(this, 2, "dirs", new DirectoryTask(PKI, "0700", "etcd", "etcd", "etcd_dir")));
            out.add(ModuleContext.stage(this, 3, "config", new FileTask(tls.ca(), ctx.ca(v).pem(), "0644", "etcd", "etcd", "etcd_config", false)));
            out.add(ModuleContext.stage(this, 3, "config", certificate(ctx, v, me, tls)));
        }

        Map<String, Object> model = new LinkedHashMap<>();
        // under Pigsty's parameter names; derived values under names of their own
        model.put("etcd_instance", me.name());
        model.put("etcd_cluster", cluster.name());
        model.put("instance_ip", me.ip());
        model.put("etcd_port", me.port());
        model.put("etcd_peer_port", me.peerPort());
        model.put("etcd_data", data);
        model.put("etcd_election_timeout", v.integer("etcd_election_timeout"));
        model.put("etcd_heartbeat_interval", v.integer("etcd_heartbeat_interval"));
        model.put("pki", PKI);
        List<Map<String, Object>> ms = new ArrayList<>();
        for (EtcdCluster.Member m : cluster.members()) {
            ms.add(Map.of("name", m.name(), "ip", m.ip(), "peer_port", m.peerPort()));
        }
        model.put("etcd_members", ms);
        String memberDir = data + "/member";
        out.add(ModuleContext.stage(this, 3, "config", new Deferred("file " + CONF, "etcd_config",
                b -> scheme.require(b.fileWithContent(CONF).files(memberDir).sections(EtcdMembers.NAME)),
                (facts, pctx) -> {
                    boolean https = scheme.https(facts, pctx);
                    Map<String, Object> m = new LinkedHashMap<>(model);
                    m.put("etcd_tls", https);
                    m.put("scheme", https ? "https" : "http");
                    m.put("client_urls", clientUrls(me.ip(), me.port(), https ? "https" : "http"));
                    m.put("etcd_init", initialState(facts, pctx, section, v.str("etcd_init"), memberDir, peerUrl));
                    return new EtcdConfig(ctx.file(CONF, "etcd/etcd.conf.ftl", m, "0644", "root", "root", "etcd_config", false));
                })));
        out.add(ModuleContext.stage(this, 3, "config", ctx.file(UNIT, "etcd/etcd.service.ftl", model, "0644", "root", "root", "etcd_config", false)));

        // joining a running cluster: announce the member first, from the member itself
        out.add(ModuleContext.stage(this, 4, "member", new Deferred("command etcd member add " + me.name(), "etcd_member",
                b -> b.files(memberDir).sections(EtcdMembers.NAME, EtcdHealth.NAME),
                (facts, pctx) -> join(facts, pctx, section, health, v, me, memberDir, peerUrl, tls))));

        // stopped members start together (a new cluster's members wait for each other); running
        // ones restart one at a time, in etcd_seq order, each in a stage of its own
        out.add(ModuleContext.stage(this, 5, "launch", new EtcdService.Launch(me.name())));
        List<String> others = cluster.members().stream().filter(m -> m != me).map(m -> m.ip() + ":" + m.port()).toList();
        out.add(ModuleContext.stage(this, 6, String.format("restart %04d", me.seq()),
                new EtcdService.Restart(me.name(), local, others, v.secret("etcd_root_password"), scheme, peerUrl, section)));

        out.add(ModuleContext.stage(this, 7, "health", new Deferred("command etcd health " + me.name(), "etcd_launch",
                b -> scheme.require(b.sections(EtcdHealth.NAME).fileWithContent(CONF).files(memberDir)),
                (facts, pctx) -> {
                    EtcdHealth.View h = facts.extra(health);
                    String url = clientUrl(me, tls);
                    // a member kept on http this run is asked over http
                    Etcdctl now = scheme.https(facts, pctx) ? local : local.plainHttp();
                    if (h.healthy(url)) {
                        return CommandTask.unlessFacts("etcd health " + me.name(), b -> { }, f -> true,
                                me.name() + " answers at " + url + "; " + health.summary(h), "true", "etcd_launch");
                    }
                    return CommandTask.always("etcd health " + me.name(), now.stepPrelude()
                            + "for i in $(seq 60); do etcdctl_ endpoint health >/dev/null 2>&1 && exit 0; sleep 1; done; "
                            + "etcdctl_ endpoint health", "etcd_launch").withInput(rootCredentials(v));
                })));

        EtcdCluster.Member firstMember = cluster.members().stream().min(Comparator.comparingInt(EtcdCluster.Member::seq)).orElseThrow();
        if (firstMember == me) {
            Secret root = v.secret("etcd_root_password");
            // asked the way the member serves now: over https once its file says so
            String on = tls == null ? authOn(local, root) : "if grep -qs '^client-transport-security:' " + CONF + "; then "
                    + authOn(local, root) + "; else " + authOn(local.plainHttp(), root) + "; fi";
            out.add(ModuleContext.stage(this, 8, "auth", new Deferred("command etcd auth enable", "etcd_auth",
                    b -> scheme.require(b.fileWithContent(CONF).files(memberDir).checks(on)),
                    (facts, pctx) -> {
                        Etcdctl ctl = scheme.https(facts, pctx) ? local : local.plainHttp();
                        // the new user's password reaches etcdctl on its stdin (--interactive=false): never on its command line
                        String enable = "set -e\nIFS= read -r pig_pw\n"
                                + ctl.plain("user", "get", "root") + " >/dev/null 2>&1 || printf '%s\\n' \"$pig_pw\" | "
                                + ctl.plain("user", "add", "root", "--interactive=false") + "\n"
                                + ctl.plain("user", "grant-role", "root", "root") + "\n"
                                + ctl.plain("auth", "enable") + "\n";
                        return CommandTask.unless("etcd auth enable", on, enable, "etcd_auth").withInput(root.reveal() + "\n");
                    })));
        }
        return out;
    }

    /** Auth is on when an anonymous request is refused and root can log in. */
    private static String authOn(Etcdctl ctl, Secret root) {
        // bounded: etcdctl logging in to a member that does not answer retries without end
        String check = "! " + ctl.plain("user", "list") + " >/dev/null 2>&1 && " + ctl.withUser("root", root, "user", "get", "root")
                + " >/dev/null 2>&1";
        return check.replace("ETCDCTL_API=3 etcdctl ", "ETCDCTL_API=3 timeout 10 etcdctl ");
    }

    /**
     * The member's certificate, for its clients and its peers alike (it names the member's
     * address, its node's name and the loopback address); its key made by etcd in {@link #PKI}.
     * etcd reads both files again for each new connection, so a certificate issued again needs
     * no restart.
     */
    private static CertificateTask certificate(ModuleContext ctx, HostVars v, EtcdCluster.Member me, Etcdctl.Tls tls) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add("IP:" + me.ip());
        names.add("IP:127.0.0.1");
        names.add("DNS:localhost");
        ctx.model().node(me.ip()).map(Node::nodename).filter(dev.pig.core.model.Net::isHostname).ifPresent(h -> names.add("DNS:" + h));
        String request = CertificateTask.request(CertificateTask.asUser("etcd"), tls.key(), me.name());
        return new CertificateTask(tls.cert(), tls.key(), request, List.copyOf(names),
                dev.pig.core.pki.CertificateAuthority.days(v.raw("cert_validity")), ctx.ca(v).certificate(), "0644", "etcd", List.of(),
                "etcd_config");
    }

    private static EtcdCluster.Member member(EtcdCluster cluster, Node node) {
        return cluster.members().stream().filter(m -> m.ip().equals(node.id())).findFirst().orElseThrow();
    }

    /** The facts a host must report to be weighed as the member a removal goes through. */
    public static FactRequest livenessRequest() {
        return FactRequest.builder().sections(EtcdMembers.NAME, EtcdHealth.NAME).build();
    }

    /**
     * The member a removal goes through: the first remaining one, by {@code etcd_seq}, whose own
     * etcd lists the members and answers its health probe. Empty when none does.
     *
     * @param fleet the facts of the hosts that could be reached, by host, gathered with
     *              {@link #livenessRequest()}
     */
    public static Optional<Node> survivor(ModuleContext ctx, List<Node> removed, Map<String, HostFacts> fleet) {
        EtcdCluster cluster = ctx.model().etcd().orElseThrow();
        List<String> goneIds = removed.stream().map(Node::id).toList();
        return cluster.members().stream().sorted(Comparator.comparingInt(EtcdCluster.Member::seq))
                .filter(m -> !goneIds.contains(m.ip()))
                .map(m -> ctx.model().node(m.ip()).orElseThrow())
                .filter(n -> {
                    HostFacts f = fleet.get(Deployment.target(n).host());
                    return f != null && f.extra(members(ctx)).answered()
                            && f.extra(health(ctx)).healthy(clientUrl(member(cluster, n), tls(ctx)));
                })
                .findFirst();
    }

    /**
     * Whether {@code removed} can leave the cluster, judged on what {@code survivorFacts} report;
     * see {@link EtcdQuorum}.
     *
     * @throws PigException ({@code USAGE}) when it would break quorum
     */
    public static EtcdQuorum.Removal removalCheck(ModuleContext ctx, HostFacts survivorFacts, List<Node> removed) {
        EtcdCluster cluster = ctx.model().etcd().orElseThrow();
        return EtcdQuorum.removal(survivorFacts.extra(members(ctx)), survivorFacts.extra(health(ctx)),
                removed.stream().map(n -> peerUrl(member(cluster, n), tls(ctx))).toList());
    }

    /**
     * Taking {@code removed} out of the cluster, planned on the surviving member: one {@code member
     * remove} per member the cluster still lists, those that do not answer first; refused when the
     * members left answering would not be a majority of those that remain.
     */
    public Staged memberRemove(ModuleContext ctx, Node survivor, List<Node> removed) {
        EtcdCluster cluster = ctx.model().etcd().orElseThrow();
        String names = String.join(", ", removed.stream().map(n -> member(cluster, n).name()).toList());
        Etcdctl local = Etcdctl.local(member(cluster, survivor).port(), tls(ctx));
        String credentials = rootCredentials(ctx.vars(survivor));
        return ModuleContext.stage(this, 1, "member remove", new Deferred("command etcd member remove " + names, "etcd_member",
                b -> b.sections(EtcdMembers.NAME, EtcdHealth.NAME).fileWithContent(CONF),
                (facts, pctx) -> {
                    if (!facts.extra(members(ctx)).answered()) {
                        throw new PigException(PigException.Kind.FAILED,
                                facts.host() + ": etcd does not answer here, so " + names + " cannot be removed through it");
                    }
                    EtcdQuorum.Removal r = removalCheck(ctx, facts, removed);
                    if (r.nothingToDo()) {
                        return CommandTask.unlessFacts("etcd member remove " + names, b -> { }, f -> true,
                                "the cluster does not list " + String.join(", ", r.notListed()), "true", "etcd_member");
                    }
                    Etcdctl ctl = Scheme.servesHttps(facts) ? local : local.plainHttp();
                    String cmd = ctl.stepPrelude() + String.join(" && ", r.order().stream()
                            .map(m -> Etcdctl.FUNCTION + " member remove " + Shell.quote(m.id())).toList());
                    return CommandTask.always("etcd member remove " + names, cmd, "etcd_member").withInput(credentials);
                }));
    }

    /**
     * {@code pig etcd rm}: {@code removed} taken out of the running cluster through a remaining
     * member that answers ({@link #survivor}), then stopped and cleaned ({@link #removal}). The
     * remaining members are asked whether they answer, the removed ones also what their cleanup
     * needs, in one round trip each; refused before anything is shown when no remaining member
     * answers or when the removal would break quorum ({@link #removalCheck}).
     */
    public Operation memberRemoval(ModuleContext ctx, List<Node> removed) {
        ClusterModel m = ctx.model();
        List<String> goneIds = removed.stream().map(Node::id).toList();
        List<Node> remaining = m.etcd().orElseThrow().members().stream().filter(x -> !goneIds.contains(x.ip()))
                .map(x -> m.node(x.ip()).orElseThrow()).toList();
        if (remaining.isEmpty()) {
            throw new PigException(PigException.Kind.USAGE, "removing every member would destroy the etcd cluster; remove fewer members");
        }
        Map<Node, List<Task>> cleanup = new LinkedHashMap<>();
        removed.forEach(n -> cleanup.put(n, new ArrayList<>(removal(ctx, n))));
        return new Operation() {
            @Override
            public Map<Node, FactRequest> probe() {
                Map<Node, FactRequest> out = new LinkedHashMap<>();
                remaining.forEach(n -> out.put(n, livenessRequest()));
                cleanup.forEach((n, tasks) -> out.put(n, Operation.needs(tasks, livenessRequest())));
                return out;
            }

            @Override
            public Work work(Gathered probed) {
                Node sv = survivor(ctx, removed, probed.facts()).orElseThrow(() -> noSurvivor(remaining, probed));
                EtcdQuorum.Removal check = removalCheck(ctx, probed.facts().get(Deployment.target(sv).host()), removed);
                Map<Node, List<Task>> tasks = new LinkedHashMap<>();
                tasks.put(sv, List.of(memberRemove(ctx, sv, removed)));
                tasks.putAll(cleanup);
                return new Work(tasks, List.of("Removing through " + sv.id() + ": " + check.numbers() + "."), Map.of(name(), removed));
            }
        };
    }

    /** Why no remaining member can carry a removal: none reachable, or none whose etcd answers. */
    private static PigException noSurvivor(List<Node> remaining, Gathered probed) {
        List<String> why = new ArrayList<>();
        for (Node n : remaining) {
            String host = Deployment.target(n).host();
            String failure = probed.failures().get(host);
            why.add(host + (failure != null ? " unreachable (" + failure + ")" : " does not answer"));
        }
        boolean noneReached = remaining.stream().noneMatch(n -> probed.facts().containsKey(Deployment.target(n).host()));
        return new PigException(noneReached ? PigException.Kind.UNAVAILABLE : PigException.Kind.USAGE,
                "no remaining etcd member answers, so the cluster has no quorum to remove a member with: "
                        + String.join("; ", why) + ". Bring members back first.");
    }

    /** What leaves a removed member's host: the service, its files, and its data when {@code etcd_rm_data}. */
    public List<Staged> removal(ModuleContext ctx, Node node) {
        HostVars v = ctx.vars(node);
        List<Staged> out = new ArrayList<>();
        String stop = "systemctl disable --now etcd.service 2>/dev/null || true";
        out.add(ModuleContext.stage(this, 2, "stop", CommandTask.unless("stop etcd",
                "! systemctl is-active -q etcd.service && ! systemctl is-enabled -q etcd.service", stop, "etcd_member")));
        List<String> paths = new ArrayList<>(List.of(CONF, UNIT));
        if (v.bool("etcd_rm_data")) {
            paths.add(v.str("etcd_data"));
        }
        for (String p : paths) {
            out.add(ModuleContext.stage(this, 3, "clean", CommandTask.unless("remove " + p, "! test -e " + Shell.quote(p),
                    "rm -rf " + Shell.quote(p) + (p.equals(UNIT) ? " && systemctl daemon-reload" : ""), "etcd_member")));
        }
        return out;
    }

    /**
     * {@code new} for a member of a cluster being created; {@code existing} for a member joining
     * a running cluster; for a member that already has data, whatever its file says (etcd no
     * longer reads it), so a re-run does not touch the file.
     */
    static String initialState(HostFacts facts, PlanContext ctx, EtcdMembers section, String configured,
                               String memberDir, String peerUrl) {
        if (facts.file(memberDir).exists()) {
            FileState conf = facts.file(CONF);
            if (conf.exists() && conf.content() != null) {
                for (String line : new String(conf.content(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("initial-cluster-state:")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
            return configured;
        }
        return runningElsewhere(facts, ctx, section).isPresent() ? "existing" : configured;
    }

    /**
     * Another host of the run whose etcd answers with the member list of a running cluster; the
     * first by host name, so every run of the same facts makes the same plan.
     */
    static Optional<HostFacts> runningElsewhere(HostFacts facts, PlanContext ctx, EtcdMembers section) {
        for (HostFacts other : ctx.fleet().values().stream().sorted(Comparator.comparing(HostFacts::host)).toList()) {
            if (other.host().equals(facts.host()) || !other.request().sections().contains(EtcdMembers.NAME)) {
                continue;
            }
            EtcdMembers.View view = other.extra(section);
            if (view.answered() && view.members().stream().anyMatch(EtcdMembers.Member::started)) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }

    private Task join(HostFacts facts, PlanContext ctx, EtcdMembers section, EtcdHealth health, HostVars v,
                      EtcdCluster.Member me, String memberDir, String peerUrl, Etcdctl.Tls tls) {
        String name = "etcd member add " + me.name();
        EtcdHealth.View mine = facts.extra(health);
        String state = mine.probed() ? " (" + (mine.healthy(clientUrl(me, tls)) ? "answering" : "not answering")
                + "; " + health.summary(mine) + ")" : "";
        if (facts.file(memberDir).exists()) {
            return CommandTask.unlessFacts(name, b -> { }, f -> true,
                    "member " + me.name() + " has its data; it is part of the cluster" + state, "true", "etcd_member");
        }
        Optional<HostFacts> running = runningElsewhere(facts, ctx, section);
        if (running.isEmpty()) {
            return CommandTask.unlessFacts(name, b -> { }, f -> true,
                    "no running cluster to join: the members start together", "true", "etcd_member");
        }
        EtcdMembers.View view = running.get().extra(section);
        if (view.has(peerUrl)) {
            return CommandTask.unlessFacts(name, b -> { }, f -> true,
                    "the cluster already lists " + peerUrl + ", as " + running.get().host() + " reports" + state, "true", "etcd_member");
        }
        // through the members that answer, as the host that sees the cluster reports them
        EtcdHealth.View seen = running.get().request().sections().contains(EtcdHealth.NAME) ? running.get().extra(health) : null;
        List<String> endpoints = view.members().stream().filter(EtcdMembers.Member::started)
                .map(EtcdMembers.Member::clientUrl).filter(u -> !u.isEmpty() && (seen == null || seen.healthy(u))).toList();
        if (endpoints.isEmpty()) {
            throw new PigException(PigException.Kind.FAILED, facts.host() + ": no member of the running etcd cluster answers ("
                    + (seen == null ? "none lists a client URL" : health.summary(seen) + ", as " + running.get().host() + " sees it")
                    + "), so " + me.name() + " cannot join it; bring the members back first");
        }
        // the cluster's own scheme, as its members list their client URLs; its new member's files are made by then (stage 3)
        boolean https = endpoints.get(0).startsWith("https:");
        return CommandTask.always(name, Etcdctl.of(endpoints, https ? tls : null).stepPrelude() + Etcdctl.FUNCTION + " member add " + Shell.quote(me.name())
                + " --peer-urls=" + Shell.quote(peerUrl), "etcd_member").withInput(rootCredentials(v));
    }

    /**
     * The config file, plus the one judgement the engine cannot make: whether what changed is read
     * at every start (restart needed) or only at bootstrap (no restart).
     */
    static final class EtcdConfig implements dev.pig.core.task.Wrapper {
        private final FileTask file;

        EtcdConfig(FileTask file) {
            this.file = file;
        }

        @Override
        public Task inner() {
            return file;
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            Change c = file.plan(facts, ctx);
            FileState now = facts.file(CONF);
            String before = now.exists() && now.content() != null ? runtimePart(new String(now.content(), StandardCharsets.UTF_8)) : null;
            if (before == null || !before.equals(runtimePart(new String(file.content(), StandardCharsets.UTF_8)))) {
                ctx.changed(RUNTIME_CHANGED);
            }
            return c;
        }

        static String runtimePart(String conf) {
            StringBuilder b = new StringBuilder();
            for (String line : conf.split("\n")) {
                if (!line.startsWith("initial-") && !line.startsWith("#")) {
                    b.append(line).append('\n');
                }
            }
            return b.toString();
        }
    }
}
