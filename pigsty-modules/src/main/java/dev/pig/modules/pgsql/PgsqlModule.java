package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgRole;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.GroupTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Staged;
import dev.pig.core.task.SymlinkTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.core.task.UserTask;
import dev.pig.core.task.ValidatedFile;
import dev.pig.modules.HostVars;
import dev.pig.modules.Keepalived;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Registered;
import dev.pig.modules.Registration;

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
 * This class is the module's stage list, one section per Pigsty tag, in Pigsty's order; the
 * helpers below it know how ({@link Postgres}, {@link Patroni}, {@link Leader}, ...). The dbsu
 * exists before the packages so Debian's postgres user gets {@code pg_dbsu_uid}, and
 * postgresql-common is told not to create its own cluster. The leader starts first (the
 * inventory's primary on a new cluster, whoever leads on a running one), the replicas in the
 * next stage. A data directory is never touched, and a running Patroni only through its config
 * and REST API: a changed patroni.yml reloads it, a changed DCS setting ({@code pg_rto},
 * {@code pg_max_conn} ...) is patched into the live config on the leader, and settings that need
 * a restart are applied by a rolling restart, replicas first, then a switchover. Roles and
 * databases are compared with the leader's catalog and changed there.
 */
public final class PgsqlModule implements Registered {
    /** Patroni's file on every instance: ETCD asks whether a run plans it before moving etcd to https. */
    public static final String PATRONI_CONF = Paths.PATRONI_CONF;
    /** What {@code pg_dbsu_sudo: limit} allows: driving its own services. */
    static final List<String> LIMITED_SUDO = List.of("/bin/systemctl stop patroni", "/bin/systemctl start patroni",
            "/bin/systemctl reload patroni", "/bin/systemctl restart patroni", "/bin/systemctl status patroni",
            "/usr/bin/systemctl stop patroni", "/usr/bin/systemctl start patroni", "/usr/bin/systemctl reload patroni",
            "/usr/bin/systemctl restart patroni", "/usr/bin/systemctl status patroni");

    @Override
    public String name() {
        return Stage.MODULE;
    }

    @Override
    public int order() {
        return Stage.ORDER;
    }

    @Override
    public List<String> tags() {
        return List.of("pg_dbsu", "pg_install", Extensions.TAG, "pg_dir", "pg_cert", "pg_etcd", "pg_conf", "pg_reload", "pg_launch", "pg_user",
                "pg_db", "pg_privilege", "pgbackrest_config", "pgbackrest_init", "pgbackrest_backup", "pg_crontab",
                "pgbouncer_dir", "pgbouncer_config", "pgbouncer_user", "pgbouncer_db", "pgbouncer_hba", "pgbouncer_launch",
                "pg_vip", "pg_service", "pg_exporter", "pgbouncer_exporter", "pgbackrest_exporter", PatroniConfig.TAG, RollingRestart.TAG,
                Monitor.REGISTER_TAG);
    }

    @Override
    public String registerTag() {
        return Monitor.REGISTER_TAG;
    }

    @Override
    public List<Registration> registrations(ModuleContext ctx, Node node) {
        return Monitor.registrations(ctx, node);
    }

    @Override
    public List<Node> hosts(ClusterModel model) {
        Set<String> ids = new LinkedHashSet<>();
        for (PgCluster c : model.pgClusters()) {
            c.instances().forEach(i -> ids.add(i.ip()));
            // the nodes of pg_service_provider publish the cluster's services
            Object group = model.value(c.instances().get(0).ip(), "pg_service_provider");
            if (group != null && !String.valueOf(group).isBlank()) {
                model.nodes().stream().filter(n -> n.groups().contains(String.valueOf(group))).forEach(n -> ids.add(n.id()));
            }
        }
        return model.nodes().stream().filter(n -> ids.contains(n.id())).toList();
    }

    @Override
    public List<FactSection<?>> factSections(ModuleContext ctx) {
        List<FactSection<?>> out = new ArrayList<>();
        ctx.model().pgClusters().forEach(c -> out.addAll(ClusterFacts.of(ctx, c).all()));
        out.add(Services.ServiceFiles.SECTION);
        out.add(Vip.NetInterfaces.SECTION);
        return out;
    }

    @Override
    public List<Staged> tasks(ModuleContext ctx, Node node) {
        List<Staged> out = new ArrayList<>();
        PgNode.find(ctx, node).ifPresent(n -> out.addAll(instance(n)));
        // the services this node publishes, for its own cluster or as a pg_service_provider
        Services.tasks(ctx, node).forEach(t -> out.add(Stage.of(13, "services", t)));
        return out;
    }

    /** The stages of one instance, in the order Pigsty's pgsql role runs its tags. */
    private static List<Staged> instance(PgNode n) {
        HostVars v = n.v();
        PgInstance me = n.me();
        String dbsu = n.dbsu();
        List<Staged> out = new ArrayList<>();

        // ---------------------------------------------------------------- pg_dbsu
        // the dbsu, the packages, the directories and the certificates need nothing from other
        // hosts: local stages, which a node runs while the infra node still starts etcd and MinIO
        // before the packages: Debian's postgresql-common keeps an existing postgres user
        int uid = v.integer("pg_dbsu_uid");
        out.add(Stage.local(1, "dbsu", new Deferred("group " + dbsu, "pg_dbsu", b -> b.groups(dbsu),
                (f, c) -> new GroupTask(dbsu, dbsuUid(f, uid), "pg_dbsu"))));
        out.add(Stage.local(1, "dbsu", new Deferred("user " + dbsu, "pg_dbsu", b -> b.users(dbsu),
                (f, c) -> new UserTask(dbsu, dbsuUid(f, uid), dbsu, v.str("pg_dbsu_home"), "/bin/bash", "pg_dbsu"))));
        out.add(Stage.local(1, "dbsu", new DirectoryTask(v.str("pg_dbsu_home"), "0750", dbsu, dbsu, "pg_dbsu")));
        String sudoers = "/etc/sudoers.d/" + dbsu;
        if (v.str("pg_dbsu_sudo").equals("none")) {
            out.add(Stage.local(1, "dbsu", new Skip("file " + sudoers, "pg_dbsu", "pg_dbsu_sudo is none")));
        } else {
            // checked by visudo before it takes its place: a broken sudoers file locks sudo out
            out.add(Stage.local(1, "dbsu", new ValidatedFile(n.ctx().file(sudoers, "pgsql/dbsu-sudoers.ftl", Map.of("pg_dbsu", dbsu,
                    "pg_dbsu_sudo", v.str("pg_dbsu_sudo"), "limited_commands", LIMITED_SUDO), "0440", "root", "root", "pg_dbsu", false),
                    "visudo -cqf")));
        }

        // ---------------------------------------------------------------- pg_install
        // Debian's own cluster is never made, and one made before pig is dropped unused
        int version = v.integer("pg_version");
        out.add(Stage.local(1, "dbsu", new DirectoryTask("/etc/postgresql-common", "0755", "root", "root", "pg_install")));
        out.add(Stage.local(1, "dbsu", n.ctx().file(Paths.CREATECLUSTER, "pgsql/createcluster.conf.ftl", Map.of(), "0644",
                "root", "root", "pg_install", false)));
        out.add(Stage.local(2, "install", new ServerPackages(version, packages(n))));
        out.add(Stage.local(2, "install", new Extensions(v.strings("pg_extensions"), version)));
        String mainConf = "/etc/postgresql/" + version + "/main";
        out.add(Stage.local(2, "install", CommandTask.unless("drop the packaged cluster " + version + "/main", "! test -d " + mainConf,
                "pg_dropcluster --stop " + version + " main", "pg_install")));

        // ---------------------------------------------------------------- pg_dir
        // Pigsty's layout: /data/postgres/<cluster>-<ver>/{data,...}, /pg -> it
        String dir = n.clusterDir();
        out.add(Stage.local(3, "dirs", new DirectoryTask(v.str("pg_fs_main"), "0755", "root", "root", "pg_dir")));
        out.add(Stage.local(3, "dirs", new DirectoryTask(dir, "0700", dbsu, dbsu, "pg_dir")));
        for (String sub : List.of("data", "conf", "log", "tmp", "cert", "spool", "bin")) {
            out.add(Stage.local(3, "dirs", new DirectoryTask(dir + "/" + sub, "0700", dbsu, dbsu, "pg_dir")));
        }
        out.add(Stage.local(3, "dirs", new SymlinkTask(Paths.PG_LINK, dir, "pg_dir")));
        for (String log : List.of(v.str("pg_log_dir"), v.str("patroni_log_dir"))) {
            out.add(Stage.local(3, "dirs", new DirectoryTask(log, "0750", dbsu, dbsu, "pg_dir")));
        }
        out.add(Stage.local(3, "dirs", new DirectoryTask(Paths.PATRONI_DIR, "0750", dbsu, dbsu, "pg_conf")));

        // ---------------------------------------------------------------- pg_cert
        // the CA beside it, Pigsty's ssl_ca_file: what client certificates (HBA's cert) are checked against
        out.add(Stage.local(3, "dirs", new FileTask(dir + "/cert/ca.crt", n.ctx().ca(v).pem(), "0644", dbsu, dbsu, "pg_cert", false)));
        out.add(Stage.local(3, "dirs", ServerCert.task(n, dir + "/cert")));
        if (v.bool("etcd_tls") && n.ctx().model().etcd().isPresent()) {
            out.add(Stage.local(3, "dirs", DcsUser.certificate(n)));
        }

        // ---------------------------------------------------------------- pg_etcd
        // the cluster's own etcd user, made once through etcd's root
        if (me.role() == PgRole.PRIMARY) {
            n.ctx().model().etcd().ifPresent(e -> out.add(Stage.of(4, "etcd", DcsUser.task(e, n.cluster(), v))));
        }

        // ---------------------------------------------------------------- pg_conf
        // patroni.yml, tuned at plan time from the node's CPUs and memory
        PatroniYml yml = PatroniYml.of(n);
        // Patroni on etcd over https once etcd serves it, or once this run moves it there
        PatroniDcs dcs = new PatroniDcs(n, yml);
        out.add(dcs.pause());
        out.add(Stage.of(5, "config", new Deferred("file " + Paths.PATRONI_CONF, "pg_conf", dcs::require, dcs::file)));
        out.add(Stage.of(5, "config", n.ctx().file(Paths.PATRONI_UNIT, "pgsql/patroni.service.ftl",
                Map.of("pg_instance", me.name(), "pg_cluster", n.cluster().name(), "pg_dbsu", dbsu,
                        "patroni_watchdog_mode", v.str("patroni_watchdog_mode")),
                "0644", "root", "root", "pg_conf", false)));
        out.add(Stage.of(5, "config", new UnitFileReload(Paths.PATRONI_UNIT)));

        // ---------------------------------------------------------------- pg_reload
        out.add(Stage.of(5, "config", new PatroniReload(Patroni.of(v).loopWait())));
        out.add(Stage.of(5, "config", dcs.restart()));
        out.add(Stage.of(5, "dcs resume", dcs.resume()));

        // ---------------------------------------------------------------- pg_launch
        // the leader first (6), the replicas once it leads (7); a changed unit file never restarts
        // Patroni, which would stop PostgreSQL (UnitFileReload)
        out.addAll(launch(n));

        // ---------------------------------------------------------------- pg_user, pg_privilege, pg_db
        // on the leader, against its catalog (8 roles, 9 databases)
        if (v.bool("pg_provision") && n.standbyCluster()) {
            out.add(Stage.of(8, "roles", new Skip("roles and databases", "pg_user", n.cluster().name()
                    + " is a standby cluster: its roles and databases come from its upstream")));
        } else if (v.bool("pg_provision")) {
            out.addAll(Provision.tasks(n));
        }

        // ---------------------------------------------------------------- pgbackrest, pg_crontab
        // the repository, the stanza and a first full backup on the leader, the dbsu's crontab
        if (v.bool("pgbackrest_enabled")) {
            Backup.tasks(n).forEach(t -> out.add(Stage.of(10, "backup", t)));
        } else {
            out.add(Stage.of(10, "backup", new Skip("pgbackrest", "pgbackrest_config", "pgbackrest_enabled is false")));
        }
        out.add(Stage.of(10, "backup", Backup.crontab(n)));

        // ---------------------------------------------------------------- pgbouncer
        if (v.bool("pgbouncer_enabled")) {
            Pgbouncer.tasks(n).forEach(t -> out.add(Stage.of(11, "pgbouncer", t)));
        } else {
            out.add(Stage.of(11, "pgbouncer", new UnitTask(Pgbouncer.UNIT, false, false, List.of(), List.of(), "pgbouncer_launch")));
        }

        // ---------------------------------------------------------------- pg_vip
        if (n.cluster().vipAddress().isPresent()) {
            Vip.tasks(n).forEach(t -> out.add(Stage.of(12, "vip", t)));
        } else {
            // turned off: what an earlier run wrote goes, keepalived stays for a node VIP
            Keepalived.retire(Vip.conf(n.cluster()), n.v().bool("vip_enabled"), "pg_vip").forEach(t -> out.add(Stage.of(12, "vip", t)));
        }

        // ---------------------------------------------------------------- pg_exporter, pgbouncer_exporter
        Monitor.tasks(n).forEach(t -> out.add(Stage.of(14, "monitor", t)));

        // ---------------------------------------------------------------- patroni_config, pg_restart
        // the DCS config of a running cluster (98), the rolling restart it or patroni.yml needs (99):
        // last, since a switchover moves the leader the stages before were planned on
        Set<String> bootstrapOnly = PatroniYml.bootstrapOnly(v);
        out.add(Stage.of(97, "patroni config", Leader.running(n, PatroniConfig.NAME, PatroniConfig.TAG, PatroniConfig.NOT_RUNNING,
                b -> b.sections(n.facts().live().name()),
                (f, c) -> new PatroniConfig(n, yml.tuned(f, v).dcs(), bootstrapOnly))));
        out.add(Stage.of(98, "rolling restart", Leader.running(n, RollingRestart.NAME, RollingRestart.TAG, RollingRestart.NOT_RUNNING,
                b -> b.sections(n.facts().live().name(), n.facts().catalog().name()).fileWithContent(Paths.PATRONI_CONF),
                (f, c) -> new RollingRestart(n, yml.tuned(f, v).dcs(), bootstrapOnly, (ip, facts) -> patroniYmlOf(n, ip, facts)))));
        return out;
    }

    /** Everything the instance runs on, in one package transaction. */
    private static List<String> packages(PgNode n) {
        HostVars v = n.v();
        int version = v.integer("pg_version");
        List<String> pkgs = new ArrayList<>(PgPackages.server(version));
        if (n.me().role() == PgRole.PRIMARY && n.ctx().model().etcd().isPresent()) {
            pkgs.add("etcd-client"); // etcdctl, to create the cluster's etcd user
        }
        if (v.bool("pgbouncer_enabled")) {
            pkgs.add("pgbouncer");
        }
        if (v.bool("pgbackrest_enabled")) {
            pkgs.add("pgbackrest");
        }
        if (n.cluster().vipAddress().isPresent()) {
            pkgs.add("keepalived");
        }
        pkgs.addAll(Monitor.packages(v));
        return pkgs;
    }

    /** Stages 6 and 7: the leader starts and leads, then each replica starts and streams from it. */
    private static List<Staged> launch(PgNode n) {
        Postgres pg = n.pg();
        Patroni patroni = n.patroni();
        String name = n.me().name();
        UnitTask unit = new UnitTask("patroni.service", true, true, List.of(), List.of(), "pg_launch");
        // /leader answers for a primary and for a standby cluster's leader alike
        String leads = patroni.answers("127.0.0.1", "leader") + " && " + pg.ready();
        // the query of the WAL receiver answers only when the server does: no "SELECT 1" before it
        String streams = patroni.answers("127.0.0.1", "health") + " && " + pg.streams();
        List<Staged> out = new ArrayList<>();
        n.cluster().primary().flatMap(PgInstance::upstream).ifPresent(upstream -> {
            // a standby cluster's leader clones its upstream when it first starts: in a run that also
            // starts that upstream, in this same stage, it waits until the upstream answers
            String answers = PgPackages.binDir(n.v().integer("pg_version")) + "/pg_isready -q -t 2 -h " + Shell.quote(upstream)
                    + " -p " + n.me().port();
            out.add(Stage.of(6, "launch primary", Leader.only(n, "command wait for the upstream", "pg_launch", b -> b.units("patroni.service"),
                    (f, c) -> CommandTask.unlessFacts("upstream " + upstream + " of " + n.cluster().name() + " answers", b -> { },
                            x -> x.unit("patroni.service").active(), name + " runs Patroni already",
                            "for i in $(seq 300); do " + answers + " && exit 0; sleep 1; done; echo "
                                    + Shell.quote("the upstream " + upstream + " does not answer: " + name + " cannot clone it") + " >&2; exit 1",
                            "pg_launch"))));
        });
        out.add(Stage.of(6, "launch primary", Leader.only(n, "unit patroni.service", "pg_launch", b -> b.units("patroni.service"),
                (f, c) -> unit)));
        out.add(Stage.of(6, "launch primary", Leader.only(n, "command wait for leader", "pg_launch", b -> b.checks(leads),
                (f, c) -> CommandTask.unless("patroni leads on " + name, leads, "for i in $(seq 120); do " + leads
                        + " && exit 0; sleep 1; done; echo 'patroni did not take the lead in 120 s' >&2; exit 1", "pg_launch"))));
        // a replica never starts without a leader: it would race for the lead with an empty cluster
        out.add(Stage.of(7, "launch replicas", Leader.replicas(n, "command wait for the leader", "pg_launch", b -> b.units("patroni.service"),
                (f, c) -> {
                    String leader = Leader.ip(n.cluster(), c, n.facts().members());
                    String answers = patroni.answers(Shell.quote(leader), "leader");
                    return CommandTask.unlessFacts("leader of " + n.cluster().name() + " answers", b -> { },
                            x -> x.unit("patroni.service").active(), name + " runs Patroni already",
                            "for i in $(seq 60); do " + answers + " && exit 0; sleep 1; done; echo "
                                    + Shell.quote("no leader answers at " + patroni.url(leader, "leader") + ": the replica is not started")
                                    + " >&2; exit 1", "pg_launch");
                })));
        out.add(Stage.of(7, "launch replicas", Leader.replicas(n, "unit patroni.service", "pg_launch", b -> b.units("patroni.service"),
                (f, c) -> unit)));
        out.add(Stage.of(7, "launch replicas", Leader.replicas(n, "command wait for replica", "pg_launch", b -> b.checks(streams),
                (f, c) -> CommandTask.unless("replica " + name + " streams", streams, "for i in $(seq 180); do " + streams
                        + " && exit 0; sleep 1; done; echo 'the replica does not stream after 180 s' >&2; exit 1", "pg_launch"))));
        return out;
    }

    /** The patroni.yml instance {@code ip} of the cluster should have, tuned from its facts. */
    private static Optional<String> patroniYmlOf(PgNode n, String ip, HostFacts facts) {
        Optional<PgInstance> inst = n.cluster().instance(ip);
        Optional<Node> node = n.ctx().model().node(ip);
        if (inst.isEmpty() || node.isEmpty()) {
            return Optional.empty();
        }
        PgNode other = PgNode.of(n.ctx(), n.cluster(), inst.get());
        return Optional.of(n.ctx().render("pgsql/patroni.yml.ftl", PatroniYml.of(other).tuned(facts, other.v())));
    }

    /** Pigsty's rule: 26 is the tape group on Debian, so a Debian dbsu asked for 26 gets 543. */
    static int dbsuUid(HostFacts facts, int uid) {
        return uid == 26 && facts.os().isDebianLike() ? 543 : uid;
    }

    @Override
    public List<Staged> removal(ModuleContext ctx, Node node) {
        // a pg_service_provider node only: its services go with 'pig pgsql svc' once the cluster is gone
        return PgNode.find(ctx, node).map(Removal::tasks).orElse(List.of());
    }
}
