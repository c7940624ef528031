package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgRole;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.Absent;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.Keepalived;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.etcd.Etcdctl;

/**
 * What removing instances takes ({@code pig pgsql rm}): Patroni stopped (replicas in the first
 * stage, the leader in the next, so the cluster never fails over to a host being removed), its
 * files, and with {@code pg_rm_data} its data directory. Who leads is what Patroni says, not the
 * inventory's {@code pg_role}: the live leader goes only with the whole cluster (a leader stopped
 * under running replicas would hand the cluster to one of them while its files are deleted), and
 * only then are the cluster's keys in etcd cleared, from the inventory's primary, which has
 * etcdctl since it made the cluster's etcd user.
 */
final class Removal {
    private Removal() {
    }

    static List<Staged> tasks(PgNode n) {
        PgInstance me = n.me();
        PgCluster cluster = n.cluster();
        Postgres pg = n.pg();
        String pid = Shell.quote(n.v().str("pg_data") + "/postmaster.pid");
        String stop = "systemctl disable --now patroni.service 2>/dev/null; "
                + "if [ -f " + pid + " ]; then " + pg.pgctl("stop", "-m", "fast") + " || true; fi";
        String stopped = "! systemctl is-active -q patroni.service && ! systemctl is-enabled -q patroni.service && ! test -f " + pid;
        List<Staged> out = new ArrayList<>();
        // what serves the instance goes first: the VIP, the pool, the metrics, its services here
        access(n.ctx(), cluster, n.ctx().model().node(me.ip()).orElseThrow()).forEach(t -> out.add(Stage.of(1, "stop replicas", t)));
        out.add(Stage.of(1, "stop replicas", Leader.replicas(n, "command stop patroni", "pg_launch", b -> b.checks(stopped),
                (f, c) -> CommandTask.unless("stop patroni on " + me.name(), stopped, stop, "pg_launch"))));
        out.add(Stage.of(2, "stop leader", Leader.only(n, "command stop patroni", "pg_launch", b -> b.checks(stopped), (f, c) -> {
            List<String> staying = staying(n.ctx(), cluster, c);
            if (!staying.isEmpty()) {
                throw new PigException(PigException.Kind.USAGE, me.name() + " leads " + cluster.name() + " (as Patroni reports) and "
                        + String.join(", ", staying) + (staying.size() == 1 ? " stays" : " stay")
                        + " (not removed in this run, or not reachable): removing the leader would fail the cluster over."
                        + " Switch over first (patronictl switchover), then remove " + me.name() + " as a replica,"
                        + " or remove the whole cluster: pig pgsql rm " + cluster.name());
            }
            return CommandTask.unless("stop patroni on " + me.name(), stopped, stop, "pg_launch");
        })));
        if (n.ctx().model().etcd().isPresent() && me.role() == PgRole.PRIMARY) {
            // once Patroni is stopped (2), before the clean stage removes the instance's certificate etcdctl shows
            out.add(Stage.of(2, "stop leader, then the etcd keys", clearKeys(n, n.ctx().model().etcd().get())));
        }
        List<String> paths = new ArrayList<>(List.of(Paths.PATRONI_CONF, Paths.PATRONI_UNIT));
        if (n.v().bool("pg_rm_data")) {
            paths.add(n.clusterDir());
            paths.add(Paths.PG_LINK);
        }
        for (String p : paths) {
            out.add(Stage.of(3, "clean", CommandTask.unless("remove " + p, gone(p),
                    "rm -rf -- " + Shell.quote(p) + (p.equals(Paths.PATRONI_UNIT) ? " && systemctl daemon-reload" : ""), "pg_launch")));
        }
        return out;
    }

    /** The cluster's keys in etcd, cleared as its own etcd user once no member of it stays. */
    private static Task clearKeys(PgNode n, EtcdCluster etcd) {
        PgCluster cluster = n.cluster();
        String prefix = DcsUser.prefix(n.v(), cluster);
        Etcdctl.Tls tls = DcsUser.tls(n.v());
        Etcdctl ctl = Etcdctl.of(etcd, tls);
        String user = DcsUser.name(cluster);
        // a failed read is not "no keys": the command then runs and says what is wrong
        String read = "command -v etcdctl >/dev/null && keys=$(" + ctl.withUser(user, DcsUser.password(n.v(), cluster), "get", prefix,
                "--prefix", "--keys-only") + ") && [ -z \"$keys\" ]";
        // Over https the read needs the instance's certificate, which the clean stage removes with the
        // data (pg_rm_data), and only on a host whose keys this task cleared first: a failed clear stops
        // the host before its clean stage. Neither that certificate nor patroni.yml left means a past run
        // cleared the keys, and a re-run plans nothing instead of failing on the missing certificate.
        String cleared = tls == null ? read
                : "{ [ ! -e " + Shell.quote(tls.cert()) + " ] && [ ! -e " + Shell.quote(Paths.PATRONI_CONF) + " ]; } || { " + read + "; }";
        String clear = "command -v etcdctl >/dev/null || { echo " + Shell.quote("etcdctl is missing on " + n.me().name()
                + ": install etcd-client, or delete " + prefix + " from etcd by hand") + " >&2; exit 1; }\n"
                + "IFS= read -r pig_user || exit 1\n"
                + "ETCDCTL_USER=\"$pig_user\" " + ctl.plain("del", prefix, "--prefix") + "\n";
        String name = "command clear the etcd keys of " + cluster.name();
        return new Deferred(name, "pg_launch", b -> b.checks(cleared), (f, c) -> {
            List<String> staying = staying(n.ctx(), cluster, c);
            if (!staying.isEmpty()) {
                return new Skip(name, "pg_launch", String.join(", ", staying) + (staying.size() == 1 ? " stays" : " stay") + " in "
                        + cluster.name() + ": its keys in etcd are still used");
            }
            return CommandTask.unless("clear the etcd keys of " + cluster.name(), cleared, clear, "pg_launch")
                    .withInput(Etcdctl.credentials(user, DcsUser.password(n.v(), cluster)));
        });
    }

    /**
     * The units pig started around an instance stopped and disabled, and the files it wrote for
     * them removed: keepalived, PgBouncer, the exporters and this cluster's HAProxy services on the
     * host (HAProxy reloads). Backups and data stay.
     */
    static List<Task> access(ModuleContext ctx, PgCluster cluster, Node node) {
        List<Task> out = new ArrayList<>();
        // the cluster's VIP goes; keepalived stays while it holds the node VIP (NODE's vip_enabled)
        boolean nodeVip = ctx.vars(node).bool("vip_enabled");
        if (nodeVip) {
            out.add(new Absent(Vip.conf(cluster), "pg_launch"));
            out.add(Keepalived.unit(Vip.conf(cluster), "pg_launch"));
        } else {
            out.add(new UnitTask(Vip.UNIT, false, false, List.of(), List.of(), "pg_launch"));
        }
        for (String unit : List.of(Monitor.PGB_EXPORTER_UNIT, Monitor.PGBR_EXPORTER_UNIT, Monitor.PG_EXPORTER_UNIT, Pgbouncer.UNIT)) {
            out.add(new UnitTask(unit, false, false, List.of(), List.of(), "pg_launch"));
        }
        List<String> files = new ArrayList<>(nodeVip ? List.of() : List.of(Vip.conf(cluster), Keepalived.CONF));
        files.addAll(List.of(Monitor.PGB_EXPORTER, Monitor.PGB_EXPORTER_UNIT_FILE, Monitor.PGBR_EXPORTER,
                Monitor.PGBR_EXPORTER_UNIT_FILE,
                Monitor.PG_EXPORTER_DEFAULTS, Pgbouncer.INI, Pgbouncer.USERLIST, Pgbouncer.USEROPTS, Pgbouncer.DATABASES, Pgbouncer.HBA));
        List<String> services = Services.servedBy(ctx, node).contains(cluster)
                ? cluster.services().stream().map(svc -> Services.path(cluster, svc)).toList() : List.of();
        files.addAll(services);
        for (String f : files) {
            out.add(new Absent(f, "pg_launch"));
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

    /**
     * The instances of {@code cluster} this run does not remove: those of hosts it does not
     * remove from, and those without facts in it (unreachable). A host in the run for something
     * else (an infra node deleting scrape targets) is no host the cluster loses.
     */
    static List<String> staying(ModuleContext ctx, PgCluster cluster, PlanContext pctx) {
        List<String> out = new ArrayList<>();
        for (PgInstance i : cluster.instances()) {
            Node node = ctx.model().node(i.ip()).orElse(null);
            String host = node == null ? i.ip() : node.address();
            boolean removed = node != null && ctx.removes(node.id());
            if (!removed || !pctx.fleet().containsKey(host) && !pctx.fleet().containsKey(i.ip())) {
                out.add(i.name());
            }
        }
        return out;
    }
}
