package dev.pig.modules.pgsql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.DefaultPrivilege;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.InfraNode;
import dev.pig.core.model.Node;
import dev.pig.core.model.PatroniSettings;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgDatabase;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgRole;
import dev.pig.core.model.PgUser;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.GroupTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Staged;
import dev.pig.core.task.SymlinkTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.core.task.UserTask;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.PigModule;

/**
 * PGSQL: every PostgreSQL cluster of the inventory, run by Patroni with etcd as its DCS.
 *
 * <pre>
 * pg-test:
 *   hosts:
 *     10.10.10.11: { pg_seq: 1, pg_role: primary }
 *     10.10.10.12: { pg_seq: 2, pg_role: replica }
 *   vars:
 *     pg_cluster: pg-test
 *     pg_users:     [ { name: test, password: test, roles: [ dbrole_admin ] } ]
 *     pg_databases: [ { name: test } ]
 * </pre>
 *
 * The dbsu exists before the packages so Debian's postgres user gets {@code pg_dbsu_uid}, and
 * postgresql-common is told not to create its own cluster. The leader starts first (the
 * inventory's primary on a new cluster, whoever leads on a running one), the replicas in the
 * next stage. A data directory is never touched, and a running Patroni only through its config
 * and REST API: a changed patroni.yml reloads it, a changed DCS setting ({@code pg_rto},
 * {@code pg_max_conn} ...) is patched into the live config on the leader, and settings that need
 * a restart are applied by a rolling restart, replicas first, then a switchover. Roles and
 * databases are compared with the leader's catalog and changed there.
 */
public final class PgsqlModule implements PigModule {
    static final String PATRONI_CONF = "/etc/patroni/patroni.yml";
    static final String PATRONI_UNIT = "/etc/systemd/system/patroni.service";
    static final String CREATECLUSTER = "/etc/postgresql-common/createcluster.conf";
    /** What {@code pg_dbsu_sudo: limit} allows: driving its own services. */
    static final List<String> LIMITED_SUDO = List.of("/bin/systemctl stop patroni", "/bin/systemctl start patroni",
            "/bin/systemctl reload patroni", "/bin/systemctl restart patroni", "/bin/systemctl status patroni",
            "/usr/bin/systemctl stop patroni", "/usr/bin/systemctl start patroni", "/usr/bin/systemctl reload patroni",
            "/usr/bin/systemctl restart patroni", "/usr/bin/systemctl status patroni");

    @Override
    public String name() {
        return "pgsql";
    }

    @Override
    public int order() {
        return 50;
    }

    @Override
    public List<String> tags() {
        return List.of("pg_dbsu", "pg_install", "pg_dir", "pg_cert", "pg_etcd", "pg_conf", "pg_reload", "pg_launch", "pg_user",
                "pg_db", "pg_privilege", "pgbackrest_config", "pgbackrest_init", "pgbackrest_backup", "pg_crontab",
                "pgbouncer_dir", "pgbouncer_config", "pgbouncer_user", "pgbouncer_db", "pgbouncer_hba", "pgbouncer_launch",
                "pg_vip", "pg_service", "pg_exporter", "pgbouncer_exporter", PatroniConfig.TAG, RollingRestart.TAG);
    }

    @Override
    public List<Node> hosts(ClusterModel model) {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (PgCluster c : model.pgClusters()) {
            for (PgInstance i : c.instances()) {
                ids.add(i.ip());
            }
            // the nodes of pg_service_provider publish the cluster's services
            Object group = model.value(c.instances().get(0).ip(), "pg_service_provider");
            if (group != null && !String.valueOf(group).isBlank()) {
                model.nodes().stream().filter(n -> n.groups().contains(String.valueOf(group))).forEach(n -> ids.add(n.id()));
            }
        }
        List<Node> out = new ArrayList<>();
        model.nodes().stream().filter(n -> ids.contains(n.id())).forEach(out::add);
        return out;
    }

    @Override
    public List<FactSection<?>> factSections(ModuleContext ctx) {
        List<FactSection<?>> out = new ArrayList<>();
        for (PgCluster c : ctx.model().pgClusters()) {
            out.add(patroni(ctx, c));
            out.add(catalog(ctx, c));
            out.add(storedPasswords(ctx, c));
            out.add(backrestInfo(ctx, c));
            out.add(patroniLive(ctx, c));
        }
        out.add(Services.ServiceFiles.SECTION);
        out.add(Vip.NetInterfaces.SECTION);
        return out;
    }

    private static PatroniCluster patroni(ModuleContext ctx, PgCluster c) {
        return new PatroniCluster(c.name(), ctx.vars(firstNode(ctx, c)).integer("patroni_port"),
                c.instances().stream().map(PgInstance::ip).toList());
    }

    private static PatroniLive patroniLive(ModuleContext ctx, PgCluster c) {
        HostVars v = ctx.vars(firstNode(ctx, c));
        return new PatroniLive(c.name(), v.integer("patroni_port"), c.instances().stream().map(PgInstance::ip).toList(),
                v.str("pg_dbsu"), v.str("pg_localhost"), v.integer("pg_port"));
    }

    private static PgCatalog catalog(ModuleContext ctx, PgCluster c) {
        HostVars v = ctx.vars(firstNode(ctx, c));
        return new PgCatalog(c.name(), v.str("pg_dbsu"), v.str("pg_localhost"), v.integer("pg_port"));
    }

    private static StoredPasswords storedPasswords(ModuleContext ctx, PgCluster c) {
        HostVars v = ctx.vars(firstNode(ctx, c));
        return new StoredPasswords(c.name(), v.str("pg_dbsu"), v.str("pg_localhost"), v.integer("pg_port"));
    }

    private static Backup.BackrestInfo backrestInfo(ModuleContext ctx, PgCluster c) {
        return new Backup.BackrestInfo(c.name(), ctx.vars(firstNode(ctx, c)).str("pg_dbsu"));
    }

    private static Node firstNode(ModuleContext ctx, PgCluster c) {
        return ctx.model().node(c.instances().get(0).ip()).orElseThrow();
    }

    static PgCluster clusterOf(ClusterModel model, Node node) {
        return model.pgClusters().stream().filter(c -> c.instance(node.id()).isPresent()).findFirst().orElseThrow();
    }

    @Override
    public List<Staged> tasks(ModuleContext ctx, Node node) {
        List<Staged> out = new ArrayList<>();
        if (ctx.model().pgClusters().stream().anyMatch(c -> c.instance(node.id()).isPresent())) {
            out.addAll(instanceTasks(ctx, node));
        }
        // 13. the services this node publishes, for its own cluster or as a pg_service_provider
        Services.tasks(ctx, node).forEach(t -> out.add(ModuleContext.stage(this, 13, "services", t)));
        return out;
    }

    private List<Staged> instanceTasks(ModuleContext ctx, Node node) {
        PgCluster cluster = clusterOf(ctx.model(), node);
        PgInstance me = cluster.instance(node.id()).orElseThrow();
        HostVars v = ctx.vars(node);
        int version = v.integer("pg_version");
        String dbsu = v.str("pg_dbsu");
        String dir = v.str("pg_fs_main") + "/" + cluster.name() + "-" + version;
        List<Staged> out = new ArrayList<>();

        // 1. dbsu before packages: Debian's postgresql-common keeps an existing postgres user
        int uid = v.integer("pg_dbsu_uid");
        String home = v.str("pg_dbsu_home");
        out.add(ModuleContext.stage(this, 1, "dbsu", new Deferred("group " + dbsu, "pg_dbsu", b -> b.groups(dbsu),
                (f, c) -> new GroupTask(dbsu, dbsuUid(f, uid), "pg_dbsu"))));
        out.add(ModuleContext.stage(this, 1, "dbsu", new Deferred("user " + dbsu, "pg_dbsu", b -> b.users(dbsu),
                (f, c) -> new UserTask(dbsu, dbsuUid(f, uid), dbsu, home, "/bin/bash", "pg_dbsu"))));
        out.add(ModuleContext.stage(this, 1, "dbsu", new DirectoryTask(home, "0750", dbsu, dbsu, "pg_dbsu")));
        String sudo = v.str("pg_dbsu_sudo");
        String sudoers = "/etc/sudoers.d/" + dbsu;
        if (sudo.equals("none")) {
            out.add(ModuleContext.stage(this, 1, "dbsu", skip("file " + sudoers, "pg_dbsu_sudo is none", "pg_dbsu")));
        } else {
            out.add(ModuleContext.stage(this, 1, "dbsu", ctx.file(sudoers, "pgsql/dbsu-sudoers.ftl",
                    Map.of("user", dbsu, "mode", sudo, "commands", LIMITED_SUDO), "0440", "root", "root", "pg_dbsu", false)));
        }
        out.add(ModuleContext.stage(this, 1, "dbsu", new DirectoryTask("/etc/postgresql-common", "0755", "root", "root", "pg_install")));
        out.add(ModuleContext.stage(this, 1, "dbsu", ctx.file(CREATECLUSTER, "pgsql/createcluster.conf.ftl", Map.of(), "0644",
                "root", "root", "pg_install", false)));

        // 2. packages; Debian's own cluster is never made, and one made before pig is dropped unused
        List<String> pkgs = new ArrayList<>(PgPackages.server(version));
        if (me.role() == PgRole.PRIMARY && ctx.model().etcd().isPresent()) {
            pkgs.add("etcd-client"); // etcdctl, to create the cluster's etcd user
        }
        pkgs.addAll(PgPackages.extensions(version, v.strings("pg_extensions")));
        if (v.bool("pgbouncer_enabled")) {
            pkgs.add("pgbouncer");
        }
        if (v.bool("pgbackrest_enabled")) {
            pkgs.add("pgbackrest");
        }
        if (cluster.vipAddress().isPresent()) {
            pkgs.add("keepalived");
        }
        pkgs.addAll(Monitor.packages(v));
        out.add(ModuleContext.stage(this, 2, "install", new PackagesTask("postgresql " + version, pkgs, "pg_install")));
        String mainConf = "/etc/postgresql/" + version + "/main";
        out.add(ModuleContext.stage(this, 2, "install", CommandTask.unless("drop the packaged cluster " + version + "/main",
                "! test -d " + mainConf,
                "pg_dropcluster --stop " + version + " main", "pg_install")));

        // 3. Pigsty's layout: /data/postgres/<cluster>-<ver>/{data,...}, /pg -> it
        out.add(ModuleContext.stage(this, 3, "dirs", new DirectoryTask(v.str("pg_fs_main"), "0755", "root", "root", "pg_dir")));
        out.add(ModuleContext.stage(this, 3, "dirs", new DirectoryTask(dir, "0700", dbsu, dbsu, "pg_dir")));
        for (String sub : List.of("data", "conf", "log", "tmp", "cert", "spool", "bin")) {
            out.add(ModuleContext.stage(this, 3, "dirs", new DirectoryTask(dir + "/" + sub, "0700", dbsu, dbsu, "pg_dir")));
        }
        out.add(ModuleContext.stage(this, 3, "dirs", new SymlinkTask("/pg", dir, "pg_dir")));
        for (String log : List.of(v.str("pg_log_dir"), v.str("patroni_log_dir"))) {
            out.add(ModuleContext.stage(this, 3, "dirs", new DirectoryTask(log, "0750", dbsu, dbsu, "pg_dir")));
        }
        out.add(ModuleContext.stage(this, 3, "dirs", new DirectoryTask("/etc/patroni", "0750", dbsu, dbsu, "pg_conf")));
        out.add(ModuleContext.stage(this, 3, "dirs", serverCert(dir + "/cert", dbsu, me)));

        // 4. the cluster's own etcd user, made once through etcd's root
        if (me.role() == PgRole.PRIMARY) {
            ctx.model().etcd().ifPresent(e -> out.add(ModuleContext.stage(this, 4, "etcd", etcdUser(e, cluster, v))));
        }

        // 5. patroni.yml, tuned at plan time from the node's CPUs and memory
        Map<String, Object> base = patroniModel(ctx, cluster, me, v);
        out.add(ModuleContext.stage(this, 5, "config", new Deferred("file " + PATRONI_CONF, "pg_conf", b -> b.fileWithContent(PATRONI_CONF),
                (facts, pctx) -> ctx.file(PATRONI_CONF, "pgsql/patroni.yml.ftl", withTune(base, facts, v), "0600", dbsu, dbsu,
                        "pg_conf", false))));
        out.add(ModuleContext.stage(this, 5, "config", ctx.file(PATRONI_UNIT, "pgsql/patroni.service.ftl",
                Map.of("name", me.name(), "cluster", cluster.name(), "dbsu", dbsu, "watchdog_mode", v.str("patroni_watchdog_mode")),
                "0644", "root", "root", "pg_conf", false)));
        out.add(ModuleContext.stage(this, 5, "config", new UnitFileReload(PATRONI_UNIT)));
        out.add(ModuleContext.stage(this, 5, "config", new Reload()));

        // 6. the leader first, 7. the replicas once it leads
        String patroniUrl = "http://127.0.0.1:" + v.integer("patroni_port");
        String psqlReady = "su -s /bin/sh " + dbsu + " -c 'psql -h " + v.str("pg_localhost") + " -p " + me.port()
                + " -AtXq -d postgres -c \"SELECT 1\"' >/dev/null 2>&1";
        // a changed unit file never restarts Patroni: that would stop PostgreSQL (UnitFileReload)
        UnitTask unit = new UnitTask("patroni.service", true, true, List.of(), List.of(), "pg_launch");
        // /leader answers for a primary and for a standby cluster's leader alike
        String leads = "curl -sf -o /dev/null " + patroniUrl + "/leader && " + psqlReady;
        String streams = "su -s /bin/sh " + dbsu + " -c 'psql -h " + v.str("pg_localhost") + " -p " + me.port()
                + " -AtXq -d postgres -c \"SELECT status FROM pg_stat_wal_receiver\"' 2>/dev/null | grep -q streaming";
        String healthy = "curl -sf -o /dev/null " + patroniUrl + "/health && " + psqlReady;
        PatroniCluster section = patroni(ctx, cluster);
        out.add(ModuleContext.stage(this, 6, "launch primary", whenLeader(cluster, me, section, true, "unit patroni.service", "pg_launch",
                null, (f, c) -> unit)));
        out.add(ModuleContext.stage(this, 6, "launch primary", whenLeader(cluster, me, section, true, "command wait for leader",
                "pg_launch", leads, (f, c) -> CommandTask.unless("patroni leads on " + me.name(), leads,
                        "for i in $(seq 120); do " + leads + " && exit 0; sleep 1; done; echo 'patroni did not take the lead in 120 s' >&2; exit 1",
                        "pg_launch"))));
        // a replica never starts without a leader: it would race for the lead with an empty cluster
        out.add(ModuleContext.stage(this, 7, "launch replicas", whenLeader(cluster, me, section, false, "command wait for the leader",
                "pg_launch", null, (f, c) -> {
                    String url = "http://" + leaderIp(cluster, c, section) + ":" + v.integer("patroni_port") + "/leader";
                    return CommandTask.unlessFacts("leader of " + cluster.name() + " answers", b -> { },
                            x -> x.unit("patroni.service").active(), me.name() + " runs Patroni already",
                            "for i in $(seq 60); do curl -sf -o /dev/null " + url + " && exit 0; sleep 1; done; "
                                    + "echo 'no leader answers at " + url + ": the replica is not started' >&2; exit 1", "pg_launch");
                })));
        out.add(ModuleContext.stage(this, 7, "launch replicas", whenLeader(cluster, me, section, false, "unit patroni.service",
                "pg_launch", null, (f, c) -> unit)));
        out.add(ModuleContext.stage(this, 7, "launch replicas", whenLeader(cluster, me, section, false, "command wait for replica",
                "pg_launch", healthy + " && " + streams, (f, c) -> CommandTask.unless("replica " + me.name() + " streams", healthy + " && " + streams,
                        "for i in $(seq 180); do " + healthy + " && " + streams
                                + " && exit 0; sleep 1; done; echo 'the replica does not stream after 180 s' >&2; exit 1",
                        "pg_launch"))));

        // 8. roles, 9. databases, on the leader against its catalog
        boolean standby = cluster.primary().flatMap(PgInstance::upstream).isPresent();
        if (v.bool("pg_provision") && standby) {
            out.add(ModuleContext.stage(this, 8, "roles", skip("roles and databases", cluster.name()
                    + " is a standby cluster: its roles and databases come from its upstream", "pg_user")));
        } else if (v.bool("pg_provision")) {
            provision(ctx, cluster, me, v, section, out);
        }

        // 10. backups: repository, stanza and a first full backup on the leader, the dbsu's crontab
        if (v.bool("pgbackrest_enabled")) {
            Backup.BackrestInfo info = backrestInfo(ctx, cluster);
            Backup.tasks(ctx, cluster, me, v, info, (name, tag, require, then) -> leaderOnly(cluster, me, section, name, tag, require, then))
                    .forEach(t -> out.add(ModuleContext.stage(this, 10, "backup", t)));
        } else {
            out.add(ModuleContext.stage(this, 10, "backup", skip("pgbackrest", "pgbackrest_enabled is false", "pgbackrest_config")));
        }
        out.add(ModuleContext.stage(this, 10, "backup", Backup.crontab(ctx, v)));

        // 11. the connection pool
        if (v.bool("pgbouncer_enabled")) {
            Pgbouncer.tasks(ctx, cluster, me, v, storedPasswords(ctx, cluster))
                    .forEach(t -> out.add(ModuleContext.stage(this, 11, "pgbouncer", t)));
        } else {
            out.add(ModuleContext.stage(this, 11, "pgbouncer", new UnitTask(Pgbouncer.UNIT, false, false, List.of(), List.of(),
                    "pgbouncer_launch")));
        }

        // 12. the VIP on the leader, 14. metrics endpoints
        if (cluster.vipAddress().isPresent()) {
            Vip.tasks(ctx, cluster, me, v).forEach(t -> out.add(ModuleContext.stage(this, 12, "vip", t)));
        }
        Monitor.tasks(ctx, me, v).forEach(t -> out.add(ModuleContext.stage(this, 14, "monitor", t)));

        // 98. the DCS config of a running cluster, 99. the rolling restart it or patroni.yml needs:
        // last, since a switchover moves the leader the stages before were planned on
        PatroniLive live = patroniLive(ctx, cluster);
        PatroniRest rest = new PatroniRest(v.integer("patroni_port"), v.str("patroni_username"), v.secret("patroni_password"),
                RtoPlan.of(v).loopWait());
        Set<String> bootstrapOnly = bootstrapOnly(v);
        out.add(ModuleContext.stage(this, 98, "patroni config", new Deferred(PatroniConfig.NAME, PatroniConfig.TAG,
                b -> b.sections(section.name(), live.name()),
                (f, c) -> new PatroniConfig(cluster.name(), me.ip(), section, live, dcs(withTune(base, f, v)), bootstrapOnly, rest))));
        out.add(ModuleContext.stage(this, 99, "rolling restart", new Deferred(RollingRestart.NAME, RollingRestart.TAG,
                b -> b.sections(section.name(), live.name()).fileWithContent(PATRONI_CONF),
                (f, c) -> new RollingRestart(cluster, me, section, live, dcs(withTune(base, f, v)), bootstrapOnly,
                        (ip, facts) -> patroniYmlOf(ctx, cluster, ip, facts), rest))));
        return out;
    }

    /** A task planned on the cluster's live leader only; elsewhere a no-op naming the leader. */
    static Task leaderOnly(PgCluster cluster, PgInstance me, PatroniCluster section, String name, String tag,
                           java.util.function.Consumer<FactRequest.Builder> require, BiFunction<HostFacts, PlanContext, Task> then) {
        return new Deferred(name, tag, b -> {
            b.sections(section.name());
            require.accept(b);
        }, (facts, pctx) -> {
            String lead = leaderIp(cluster, pctx, section);
            if (lead.equals(me.ip())) {
                return then.apply(facts, pctx);
            }
            return skip(name.replaceFirst("^(unit|command) ", ""), "done on the leader " + lead, tag);
        });
    }

    /**
     * Tuned cluster-wide settings that follow the shape of one node: kept as the node that created
     * the cluster set them, unless {@code pg_parameters} names them.
     */
    static Set<String> bootstrapOnly(HostVars v) {
        return v.dict("pg_parameters").containsKey("max_worker_processes") ? Set.of()
                : Set.of(DcsConfig.PARAMETERS + "max_worker_processes");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dcs(Map<String, Object> tuned) {
        return (Map<String, Object>) tuned.get("dcs");
    }

    /** The patroni.yml instance {@code ip} of {@code cluster} should have, tuned from its facts. */
    private Optional<String> patroniYmlOf(ModuleContext ctx, PgCluster cluster, String ip, HostFacts facts) {
        Optional<PgInstance> inst = cluster.instance(ip);
        Optional<Node> node = ctx.model().node(ip);
        if (inst.isEmpty() || node.isEmpty()) {
            return Optional.empty();
        }
        HostVars hv = ctx.vars(node.get());
        return Optional.of(ctx.render("pgsql/patroni.yml.ftl", withTune(patroniModel(ctx, cluster, inst.get(), hv), facts, hv)));
    }

    /**
     * What removing instances takes: Patroni stopped (replicas in the first stage, the leader in
     * the next, so the cluster never fails over to a host being removed), its files, and with
     * {@code pg_rm_data} its data directory. Who leads is what Patroni says, not the inventory's
     * {@code pg_role}: the live leader goes only with the whole cluster (a leader stopped under
     * running replicas would hand the cluster to one of them while its files are deleted), and
     * only then are the cluster's keys in etcd cleared, from the inventory's primary, which has
     * etcdctl since it made the cluster's etcd user.
     */
    @Override
    public List<Staged> removal(ModuleContext ctx, Node node) {
        if (ctx.model().pgClusters().stream().noneMatch(c -> c.instance(node.id()).isPresent())) {
            return List.of(); // a pg_service_provider node: its services go with 'pig pgsql svc' once the cluster is gone
        }
        PgCluster cluster = clusterOf(ctx.model(), node);
        PgInstance me = cluster.instance(node.id()).orElseThrow();
        HostVars v = ctx.vars(node);
        PatroniCluster section = patroni(ctx, cluster);
        String dir = v.str("pg_fs_main") + "/" + cluster.name() + "-" + v.integer("pg_version");
        String stop = "systemctl disable --now patroni.service 2>/dev/null; "
                + "if [ -f " + v.str("pg_data") + "/postmaster.pid ]; then su -s /bin/sh " + v.str("pg_dbsu") + " -c "
                + Shell.quote(PgPackages.binDir(v.integer("pg_version")) + "/pg_ctl -D " + v.str("pg_data") + " stop -m fast") + " || true; fi";
        String stopped = "! systemctl is-active -q patroni.service && ! systemctl is-enabled -q patroni.service"
                + " && ! test -f " + v.str("pg_data") + "/postmaster.pid";
        List<Staged> out = new ArrayList<>();
        // what serves the instance goes first: the VIP, the pool, the metrics, its services here
        accessRemoval(ctx, cluster, node).forEach(t -> out.add(ModuleContext.stage(this, 1, "stop replicas", t)));
        out.add(ModuleContext.stage(this, 1, "stop replicas", whenLeader(cluster, me, section, false, "command stop patroni",
                "pg_launch", stopped, (f, c) -> CommandTask.unless("stop patroni on " + me.name(), stopped, stop, "pg_launch"))));
        out.add(ModuleContext.stage(this, 2, "stop leader", whenLeader(cluster, me, section, true, "command stop patroni",
                "pg_launch", stopped, (f, c) -> {
                    List<String> staying = staying(ctx, cluster, c);
                    if (!staying.isEmpty()) {
                        throw new PigException(PigException.Kind.USAGE, me.name() + " leads " + cluster.name() + " (as Patroni reports) and "
                                + String.join(", ", staying) + (staying.size() == 1 ? " stays" : " stay")
                                + " (not removed in this run, or not reachable): removing the leader would fail the cluster over."
                                + " Switch over first (patronictl switchover), then remove " + me.name() + " as a replica,"
                                + " or remove the whole cluster: pig pgsql rm " + cluster.name());
                    }
                    return CommandTask.unless("stop patroni on " + me.name(), stopped, stop, "pg_launch");
                })));
        if (ctx.model().etcd().isPresent() && me.role() == PgRole.PRIMARY) {
            EtcdCluster e = ctx.model().etcd().get();
            String prefix = v.str("pg_namespace") + "/" + cluster.name() + "/";
            String ctl = "ETCDCTL_API=3 etcdctl --endpoints=" + String.join(",", e.members().stream().map(m -> m.ip() + ":" + m.port()).toList())
                    + " --command-timeout=5s --user " + Shell.quote(cluster.name() + ":" + etcdPassword(v, cluster));
            // a failed read is not "no keys": the command then runs and says what is wrong
            String cleared = "command -v etcdctl >/dev/null && keys=$(" + ctl + " get " + Shell.quote(prefix)
                    + " --prefix --keys-only) && [ -z \"$keys\" ]";
            String clear = "command -v etcdctl >/dev/null || { echo 'etcdctl is missing on " + me.name() + ": install etcd-client, or delete "
                    + prefix + " from etcd by hand' >&2; exit 1; }; " + ctl + " del " + Shell.quote(prefix) + " --prefix";
            out.add(ModuleContext.stage(this, 3, "clean", new Deferred("command clear the etcd keys of " + cluster.name(), "pg_launch", b -> b.checks(cleared),
                    (f, c) -> {
                        List<String> staying = staying(ctx, cluster, c);
                        if (!staying.isEmpty()) {
                            return skip("clear the etcd keys of " + cluster.name(), String.join(", ", staying)
                                    + (staying.size() == 1 ? " stays" : " stay") + " in " + cluster.name() + ": its keys in etcd are still used", "pg_launch");
                        }
                        return CommandTask.unless("clear the etcd keys of " + cluster.name(), cleared, clear, "pg_launch");
                    })));
        }
        List<String> paths = new ArrayList<>(List.of(PATRONI_CONF, PATRONI_UNIT));
        if (v.bool("pg_rm_data")) {
            paths.add(dir);
            paths.add("/pg");
        }
        for (String p : paths) {
            out.add(ModuleContext.stage(this, 3, "clean", CommandTask.unless("remove " + p, gone(p),
                    "rm -rf " + Shell.quote(p) + (p.equals(PATRONI_UNIT) ? " && systemctl daemon-reload" : ""), "pg_launch")));
        }
        return out;
    }

    /**
     * The units pig started around an instance stopped and disabled, and the files it wrote for
     * them removed: keepalived, PgBouncer, the exporters and this cluster's HAProxy services on the
     * host (HAProxy reloads). Backups and data stay.
     */
    static List<Task> accessRemoval(ModuleContext ctx, PgCluster cluster, Node node) {
        List<Task> out = new ArrayList<>();
        for (String unit : List.of(Vip.UNIT, Monitor.PGB_EXPORTER_UNIT, Monitor.PG_EXPORTER_UNIT, Pgbouncer.UNIT)) {
            out.add(new UnitTask(unit, false, false, List.of(), List.of(), "pg_launch"));
        }
        List<String> files = new ArrayList<>(List.of(Vip.CONF, Monitor.PGB_EXPORTER, Monitor.PGB_EXPORTER_UNIT_FILE,
                Monitor.PG_EXPORTER_DEFAULTS, Pgbouncer.INI, Pgbouncer.USERLIST, Pgbouncer.USEROPTS, Pgbouncer.DATABASES, Pgbouncer.HBA));
        List<String> services = Services.servedBy(ctx, node).contains(cluster)
                ? cluster.services().stream().map(svc -> Services.path(cluster, svc)).toList() : List.of();
        files.addAll(services);
        for (String f : files) {
            out.add(new dev.pig.core.task.Absent(f, "pg_launch"));
        }
        if (!services.isEmpty()) {
            out.add(new Services.Reload(services));
        }
        return out;
    }

    /** A check that passes once nothing is at {@code path}: no file or directory, and no link, dangling or not. */
    static String gone(String path) {
        return "[ ! -e " + Shell.quote(path) + " ] && [ ! -L " + Shell.quote(path) + " ]";
    }

    /** The instances of {@code cluster} this run does not remove: those without facts in it. */
    static List<String> staying(ModuleContext ctx, PgCluster cluster, PlanContext pctx) {
        List<String> out = new ArrayList<>();
        for (PgInstance i : cluster.instances()) {
            String host = ctx.model().node(i.ip()).map(Node::address).orElse(i.ip());
            if (!pctx.fleet().containsKey(host) && !pctx.fleet().containsKey(i.ip())) {
                out.add(i.name());
            }
        }
        return out;
    }

    /**
     * The instance's own TLS certificate, so the {@code ssl} and {@code cert} HBA rules can match:
     * self-signed, made on the host with openssl once (the key never leaves it), with the
     * instance name as CN and its IP as subject alternative name. patroni.yml points
     * {@code ssl_cert_file} and {@code ssl_key_file} at it.
     */
    static Task serverCert(String certDir, String dbsu, PgInstance me) {
        String crt = certDir + "/server.crt";
        String key = certDir + "/server.key";
        String made = "test -s " + crt + " -a -s " + key;
        String make = "set -e; command -v openssl >/dev/null || { echo 'openssl is missing: apt-get install openssl' >&2; exit 1; }; "
                + "umask 077; openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj " + Shell.quote("/CN=" + me.name())
                + " -addext " + Shell.quote("subjectAltName=IP:" + me.ip()) + " -keyout " + key + " -out " + crt + " 2>/dev/null; "
                + "chown " + dbsu + ":" + dbsu + " " + crt + " " + key + "; chmod 0600 " + crt + " " + key;
        return CommandTask.unless("server certificate of " + me.name(), made, make, "pg_cert");
    }

    /** Pigsty's rule: 26 is the tape group on Debian, so a Debian dbsu asked for 26 gets 543. */
    static int dbsuUid(HostFacts facts, int uid) {
        return uid == 26 && facts.os().isDebianLike() ? 543 : uid;
    }

    // ---------------------------------------------------------------- etcd user

    private Task etcdUser(EtcdCluster e, PgCluster cluster, HostVars v) {
        String user = cluster.name();
        String pw = etcdPassword(v, cluster);
        String prefix = v.str("pg_namespace") + "/" + cluster.name() + "/";
        String endpoints = String.join(",", e.members().stream().map(m -> m.ip() + ":" + m.port()).toList());
        String ctl = "ETCDCTL_API=3 etcdctl --endpoints=" + endpoints + " --command-timeout=5s";
        String root = ctl + " --user " + Shell.quote("root:" + v.str("etcd_root_password"));
        String check = ctl + " --user " + Shell.quote(user + ":" + pw) + " get " + Shell.quote(prefix) + " --prefix --keys-only --limit=1 >/dev/null 2>&1";
        String cmd = "set -e; "
                + root + " user get " + Shell.quote(user) + " >/dev/null 2>&1 || " + root + " user add " + Shell.quote(user)
                + " --new-user-password=" + Shell.quote(pw) + " --interactive=false; "
                + "printf '%s\\n' " + Shell.quote(pw) + " | " + root + " user passwd " + Shell.quote(user) + " --interactive=false; "
                + root + " role get " + Shell.quote(user) + " >/dev/null 2>&1 || " + root + " role add " + Shell.quote(user) + "; "
                + root + " role grant-permission " + Shell.quote(user) + " readwrite " + Shell.quote(prefix) + " --prefix=true; "
                + root + " user grant-role " + Shell.quote(user) + " " + Shell.quote(user);
        // etcd answers 'context deadline exceeded' while it is busy (a fresh member syncing, a loaded
        // host): each step is idempotent, so the whole is tried again before it counts as failed
        String retried = "for i in 1 2 3; do ( " + cmd + " ) && exit 0; sleep 3; done; exit 1";
        return CommandTask.unless("etcd user " + user, check, retried, "pg_etcd");
    }

    static String etcdPassword(HostVars v, PgCluster cluster) {
        String pw = v.str("pg_etcd_password");
        return pw.isBlank() ? cluster.name() : pw;
    }

    // ---------------------------------------------------------------- patroni.yml

    Map<String, Object> patroniModel(ModuleContext ctx, PgCluster cluster, PgInstance me, HostVars v) {
        int version = v.integer("pg_version");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", cluster.name());
        m.put("name", me.name());
        m.put("ip", me.ip());
        m.put("namespace", v.str("pg_namespace").endsWith("/") ? v.str("pg_namespace") : v.str("pg_namespace") + "/");
        m.put("patroni_port", v.integer("patroni_port"));
        m.put("patroni_log_dir", v.str("patroni_log_dir"));
        m.put("patroni_username", v.str("patroni_username"));
        m.put("patroni_password", v.str("patroni_password"));
        m.put("etcd_hosts", String.join(",", ctx.model().etcd().map(e -> e.members().stream().map(x -> x.ip() + ":" + x.port()).toList())
                .orElse(List.of())));
        m.put("etcd_username", cluster.name());
        m.put("etcd_password", etcdPassword(v, cluster));
        RtoPlan rto = RtoPlan.of(v);
        m.put("rto", rto);
        m.put("rto_mode", rto.mode());
        m.put("ttl", rto.ttl());
        m.put("loop_wait", rto.loopWait());
        m.put("retry_timeout", rto.retryTimeout());
        m.put("primary_start_timeout", rto.primaryStartTimeout());
        m.put("safety_margin", rto.safetyMargin());
        m.put("watchdog_mode", v.str("patroni_watchdog_mode"));
        int rpo = v.integer("pg_rpo");
        boolean crit = v.str("pg_conf").startsWith("crit");
        m.put("max_lag", rpo);
        m.put("sync", rpo == 0 || crit);
        m.put("encoding", v.str("pg_encoding"));
        m.put("locale", v.str("pg_locale"));
        m.put("lc_collate", v.str("pg_lc_collate"));
        m.put("lc_ctype", v.str("pg_lc_ctype"));
        m.put("checksum", v.bool("pg_checksum"));
        m.put("listen", listen(v.str("pg_listen"), me.ip(), cluster.vipAddress()));
        m.put("port", me.port());
        m.put("data_dir", v.str("pg_data"));
        m.put("bin_dir", PgPackages.binDir(version));
        m.put("dbsu", v.str("pg_dbsu"));
        m.put("pgpass", v.str("pg_dbsu_home") + "/.pgpass");
        m.put("replication_username", v.str("pg_replication_username"));
        m.put("replication_password", v.str("pg_replication_password"));
        m.put("socket_dir", v.str("pg_localhost"));
        m.put("pwd_enc", v.str("pg_pwd_enc"));
        m.put("libs", v.str("pg_libs"));
        m.put("log_dir", v.str("pg_log_dir"));
        m.put("archive_command", Backup.archiveCommand(cluster, v));
        m.put("role_change", Backup.roleChangeCallback(v));
        m.put("hba", Hba.render(cluster.hbaRules(), me, aliases(ctx, cluster, v)));
        boolean offline = me.role() == PgRole.OFFLINE;
        m.put("nofailover", offline || me.role() == PgRole.DELAYED);
        m.put("noloadbalance", offline);
        m.put("clonefrom", me.role() != PgRole.OFFLINE);
        m.put("nosync", offline || me.offlineQuery());
        // pg_upstream on a replica: cascade from that member (Patroni names it, not its address)
        m.put("replicatefrom", me.role() == PgRole.PRIMARY ? "" : me.upstream()
                .flatMap(cluster::instance).map(PgInstance::name).orElse(""));
        // pg_role: delayed with pg_delay: this replica applies WAL that late
        Map<String, Object> recovery = new LinkedHashMap<>();
        if (me.role() == PgRole.DELAYED) {
            pgDuration(v.raw("pg_delay")).ifPresent(d -> recovery.put("recovery_min_apply_delay", d));
        }
        m.put("recovery_conf", recovery);
        m.put("standby", standbyCluster(ctx, cluster, me));
        return m;
    }

    /**
     * {@code standby_cluster} of a cluster whose primary has {@code pg_upstream}: its leader
     * replicates from that address (another cluster's primary), delayed by the primary's
     * {@code pg_delay}. Empty for a primary cluster.
     */
    static Optional<Map<String, Object>> standbyCluster(ModuleContext ctx, PgCluster cluster, PgInstance me) {
        Optional<PgInstance> primary = cluster.primary();
        if (primary.isEmpty() || primary.get().upstream().isEmpty()) {
            return Optional.empty();
        }
        HostVars pv = ctx.vars(ctx.model().node(primary.get().ip()).orElseThrow());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", primary.get().upstream().get());
        s.put("port", primary.get().port());
        pgDuration(pv.raw("pg_delay")).ifPresent(d -> s.put("recovery_min_apply_delay", d));
        s.put("create_replica_methods", List.of("basebackup"));
        return Optional.of(s);
    }

    /**
     * {@code pg_delay} as PostgreSQL writes a time: {@code 1h} stays, {@code 30m} becomes
     * {@code 30min}, weeks and years become days; a bare number is milliseconds, PostgreSQL's unit
     * for recovery_min_apply_delay. Empty for 0 or nothing.
     */
    static Optional<String> pgDuration(Object pgDelay) {
        if (pgDelay == null) {
            return Optional.empty();
        }
        String s = String.valueOf(pgDelay).trim();
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d|w|y)?").matcher(s);
        if (s.isEmpty() || !mt.matches() || Double.parseDouble(mt.group(1)) == 0) {
            return Optional.empty();
        }
        String n = mt.group(1);
        String unit = mt.group(2) == null ? "ms" : mt.group(2);
        return Optional.of(switch (unit) {
            case "m" -> n + "min";
            case "w" -> new java.math.BigDecimal(n).multiply(java.math.BigDecimal.valueOf(7)).stripTrailingZeros().toPlainString() + "d";
            case "y" -> new java.math.BigDecimal(n).multiply(java.math.BigDecimal.valueOf(365)).stripTrailingZeros().toPlainString() + "d";
            default -> n + unit;
        });
    }

    static Hba.Aliases aliases(ModuleContext ctx, PgCluster cluster, HostVars v) {
        return new Hba.Aliases(v.str("pg_dbsu"), v.str("pg_replication_username"), v.str("pg_monitor_username"),
                v.str("pg_admin_username"), v.str("admin_ip"), ctx.model().infra().stream().map(InfraNode::ip).toList(),
                cluster.instances().stream().map(PgInstance::ip).toList(), v.str("pg_pwd_enc"));
    }

    /** {@code pg_listen} with Pigsty's placeholders: {@code ${ip}}, {@code ${vip}}, {@code ${lo}}. */
    static String listen(String pgListen, String ip, Optional<String> vip) {
        String out = pgListen.replace("${ip}", ip).replace("${lo}", "127.0.0.1");
        return out.replace("${vip}", vip.map(x -> x.replaceFirst("/.*", "")).orElse(ip));
    }

    static Map<String, Object> withTune(Map<String, Object> base, HostFacts facts, HostVars v) {
        long memMb = facts.memory().totalKb() / 1024;
        PgTune tune = PgTune.of(v.str("pg_conf"), v.raw("pg_max_conn"), v.str("pg_default_service_dest"),
                v.number("pg_shared_buffer_ratio"), memMb, facts.cpus(), v.str("pg_storage_type"));
        return withTune(base, tune, memMb, facts.cpus(), v.dict("pg_parameters"));
    }

    /**
     * The tuned model: {@code pg_parameters} win over the profile, a cluster-wide setting
     * ({@link PatroniSettings#CLUSTER_WIDE}) in the DCS config, any other in the instance's own
     * parameters, since Patroni ignores cluster-wide ones there.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withTune(Map<String, Object> base, PgTune tune, long memMb, int cpus, Map<String, Object> params) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put("profile", tune.profile());
        m.put("cpus", cpus);
        m.put("mem_mb", memMb);
        Map<String, Object> global = new LinkedHashMap<>(tune.global());
        Map<String, Object> local = new LinkedHashMap<>(tune.local());
        params.forEach((k, x) -> {
            Object value = x instanceof Number || x instanceof Boolean ? x : String.valueOf(x);
            if (global.containsKey(k) || PatroniSettings.CLUSTER_WIDE.contains(k)) {
                global.put(k, value);
            } else {
                local.put(k, value);
            }
        });
        m.put("global", global);
        m.put("local", local);
        m.put("dcs", DcsConfig.desired((RtoPlan) base.get("rto"), ((Number) base.get("max_lag")).longValue(), (Boolean) base.get("sync"),
                global, (Optional<Map<String, Object>>) base.get("standby")));
        return m;
    }

    /**
     * Reloads Patroni when patroni.yml changed and Patroni runs: it applies HBA and reloadable
     * settings itself and marks the rest pending restart. A stopped Patroni is started later.
     */
    static final class Reload implements Task {
        @Override
        public String name() {
            return "reload patroni";
        }

        @Override
        public String tag() {
            return "pg_reload";
        }

        @Override
        public void require(FactRequest.Builder b) {
            b.units("patroni.service");
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            if (ctx.firstChanged(List.of(PATRONI_CONF)) == null) {
                return new Change.NoOp(name(), tag(), "patroni.yml is unchanged");
            }
            if (!facts.unit("patroni.service").active()) {
                return new Change.NoOp(name(), tag(), "patroni is not running; it reads the new file when it starts");
            }
            return new Change.Act(name(), tag(), Action.UPDATE, "reload patroni (" + PATRONI_CONF + " changed)",
                    List.of(Step.Exec.of("systemctl reload patroni.service", ctx.masker())), "");
        }
    }

    // ---------------------------------------------------------------- leader

    /**
     * Who leads {@code cluster} now, as any of its Patroni members reports, by IP; empty when no
     * Patroni of the cluster answers (a cluster not yet created).
     */
    static Optional<String> liveLeader(PlanContext ctx, PatroniCluster section) {
        for (HostFacts f : ctx.fleet().values()) {
            if (!f.request().sections().contains(section.name())) {
                continue;
            }
            PatroniCluster.View view = f.extra(section);
            if (view.answered() && view.leader().isPresent()) {
                return Optional.of(view.leader().get().host());
            }
        }
        return Optional.empty();
    }

    /** The leader now, else the inventory's primary: where the cluster starts and is provisioned. */
    static String leaderIp(PgCluster cluster, PlanContext ctx, PatroniCluster section) {
        return liveLeader(ctx, section).orElse(cluster.primary().map(PgInstance::ip).orElse(""));
    }

    private Task whenLeader(PgCluster cluster, PgInstance me, PatroniCluster section, boolean leader, String name, String tag,
                            String check, BiFunction<HostFacts, PlanContext, Task> then) {
        return new Deferred(name, tag, b -> {
            b.sections(section.name()).units("patroni.service");
            if (check != null) {
                b.checks(check);
            }
        }, (facts, pctx) -> {
            String lead = leaderIp(cluster, pctx, section);
            boolean isLeader = lead.equals(me.ip());
            if (isLeader == leader) {
                return then.apply(facts, pctx);
            }
            return skip(name.replaceFirst("^(unit|command) ", ""), leader ? me.name() + " is a replica: it starts after the leader"
                    : me.name() + " leads: it started in the previous stage", tag);
        });
    }

    // ---------------------------------------------------------------- provisioning

    private void provision(ModuleContext ctx, PgCluster cluster, PgInstance me, HostVars v, PatroniCluster patroni,
                           List<Staged> out) {
        PgCatalog catalog = catalog(ctx, cluster);
        String psql = "su -s /bin/sh " + v.str("pg_dbsu") + " -c " + Shell.quote("psql -h " + v.str("pg_localhost") + " -p "
                + me.port() + " -d postgres -v ON_ERROR_STOP=1 -AtXq");
        Provision p = new Provision(psql, v.str("pg_pwd_enc"));
        List<PgUser> roles = new ArrayList<>(defaultRoles(v));
        roles.addAll(cluster.users());
        for (PgUser u : roles) {
            out.add(ModuleContext.stage(this, 8, "roles", onLeader(cluster, me, patroni, catalog, "role " + u.name(), "pg_user",
                    (cat, name) -> p.role(name, "pg_user", u, cat))));
        }
        // objects these make get pg_default_privileges; other admins SET ROLE dbrole_admin first, as in Pigsty
        List<String> creators = new ArrayList<>(new LinkedHashSet<>(List.of(v.str("pg_dbsu"), v.str("pg_admin_username"),
                "dbrole_admin")));
        List<DefaultPrivilege> privileges = v.strings("pg_default_privileges").stream().map(DefaultPrivilege::parse).toList();
        List<String> privilegeDbs = new ArrayList<>(List.of("template1", "postgres"));
        for (PgDatabase d : cluster.databases()) {
            if (!privilegeDbs.contains(d.name())) {
                privilegeDbs.add(d.name());
            }
        }
        for (String db : privilegeDbs) {
            Optional<PgDatabase> entry = cluster.databases().stream().filter(d -> d.name().equals(db)).findFirst();
            out.add(ModuleContext.stage(this, 8, "roles", onLeader(cluster, me, patroni, catalog, "default privileges in " + db, "pg_privilege",
                    (cat, name) -> {
                        if (entry.isPresent() && entry.get().state() == PgDatabase.State.ABSENT) {
                            return new Change.NoOp(name, "pg_privilege", "database " + db + " is to be absent");
                        }
                        if (entry.isPresent() && (cat.database(db).isEmpty() || entry.get().state() == PgDatabase.State.RECREATE)) {
                            return new Change.NoOp(name, "pg_privilege", "database " + db + " gets them when it is created");
                        }
                        return p.defaultPrivileges(name, "pg_privilege", db, privileges, creators, cat);
                    })));
        }
        List<Provision.Ext> exts = new ArrayList<>();
        for (Object o : v.raw("pg_default_extensions") instanceof List<?> l ? l : List.of()) {
            if (o instanceof Map<?, ?> m) {
                exts.add(new Provision.Ext(String.valueOf(m.get("name")), m.get("schema") == null ? "" : String.valueOf(m.get("schema"))));
            }
        }
        Provision.Defaults defaults = new Provision.Defaults(v.strings("pg_default_schemas"), exts, privileges, creators);
        String tmp = v.str("pg_fs_main") + "/" + cluster.name() + "-" + v.integer("pg_version") + "/tmp";
        for (PgDatabase d : cluster.databases()) {
            out.add(ModuleContext.stage(this, 9, "databases", onLeader(cluster, me, patroni, catalog, "database " + d.name(), "pg_db",
                    (cat, name) -> p.database(name, "pg_db", d, defaults, baseline(ctx, d, tmp, v.str("pg_dbsu"), cat), cat))));
        }
    }

    /**
     * The baseline file of a database, read at plan time when the database is to be created;
     * a file the inventory names but that is not there fails the plan, since the database
     * cannot be made as declared (inventory loading warns about it already).
     */
    static Optional<Provision.Baseline> baseline(ModuleContext ctx, PgDatabase d, String tmpDir, String dbsu, PgCatalog.View cat) {
        boolean created = d.state() == PgDatabase.State.RECREATE
                || d.state() == PgDatabase.State.CREATE && cat.database(d.name()).isEmpty();
        if (d.baseline().isEmpty() || !created) {
            return Optional.empty();
        }
        Path file = Path.of(d.baseline().get());
        try {
            return Optional.of(new Provision.Baseline(file.getFileName().toString(), Files.readAllBytes(file),
                    tmpDir + "/baseline-" + d.name() + ".sql", dbsu));
        } catch (IOException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "database " + d.name() + ": its baseline " + d.baseline().get()
                    + " cannot be read (" + e.getClass().getSimpleName() + "): put the file there, or drop 'baseline' from the entry in "
                    + ctx.model().file());
        }
    }

    /** The roles of {@code pg_default_roles}, with the passwords Pigsty gives the system ones. */
    static List<PgUser> defaultRoles(HostVars v) {
        List<PgUser> roles = new ArrayList<>();
        for (Object o : v.raw("pg_default_roles") instanceof List<?> l ? l : List.of()) {
            if (o instanceof Map<?, ?> raw) {
                Map<String, Object> m = new LinkedHashMap<>();
                raw.forEach((k, x) -> m.put(String.valueOf(k), x));
                roles.add(Provision.defaultRole(m, defaultPassword(v, String.valueOf(m.get("name")))));
            }
        }
        return roles;
    }

    /** The passwords Pigsty gives its system roles. */
    static Optional<Secret> defaultPassword(HostVars v, String role) {
        String param = role.equals(v.str("pg_replication_username")) ? "pg_replication_password"
                : role.equals(v.str("pg_admin_username")) ? "pg_admin_password"
                : role.equals(v.str("pg_monitor_username")) ? "pg_monitor_password"
                : role.equals(v.str("pg_dbsu")) ? "pg_dbsu_password" : null;
        if (param == null || v.str(param).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.secret(param));
    }

    private Task onLeader(PgCluster cluster, PgInstance me, PatroniCluster patroni, PgCatalog catalog, String name, String tag,
                          BiFunction<PgCatalog.View, String, Change> plan) {
        return new Task() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String tag() {
                return tag;
            }

            @Override
            public void require(FactRequest.Builder b) {
                b.sections(patroni.name(), catalog.name());
            }

            @Override
            public Change plan(HostFacts facts, PlanContext ctx) {
                String lead = leaderIp(cluster, ctx, patroni);
                if (!lead.equals(me.ip())) {
                    return new Change.NoOp(name, tag, "provisioned on the leader " + lead);
                }
                return plan.apply(facts.extra(catalog), name);
            }
        };
    }

    static Task skip(String name, String reason, String tag) {
        return CommandTask.unlessFacts(name, b -> { }, f -> true, reason, "true", tag);
    }
}
