package dev.pig.modules.pgsql;

import java.util.Optional;

import dev.pig.core.model.InfraNode;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * One PostgreSQL instance as the PGSQL module describes it: its cluster, the instance, the
 * host's parameters, the cluster's fact sections, and what follows from them (how to reach its
 * PostgreSQL and Patroni, its directory, its listen address).
 *
 * @param ctx     the model and templates of the run
 * @param cluster the instance's cluster
 * @param me      the instance
 * @param v       the parameters of its host
 * @param facts   the fact sections of its cluster
 */
record PgNode(ModuleContext ctx, PgCluster cluster, PgInstance me, HostVars v, ClusterFacts facts) {

    /** The instance on {@code node}, when the node is one. */
    static Optional<PgNode> find(ModuleContext ctx, Node node) {
        for (PgCluster c : ctx.model().pgClusters()) {
            Optional<PgInstance> i = c.instance(node.id());
            if (i.isPresent()) {
                return Optional.of(new PgNode(ctx, c, i.get(), ctx.vars(node), ClusterFacts.of(ctx, c)));
            }
        }
        return Optional.empty();
    }

    static PgNode of(ModuleContext ctx, Node node) {
        return find(ctx, node).orElseThrow(() -> new IllegalArgumentException(node.id() + " is no PostgreSQL instance"));
    }

    /** The instance at {@code ip} of {@code cluster}. */
    static PgNode of(ModuleContext ctx, PgCluster cluster, PgInstance me) {
        return new PgNode(ctx, cluster, me, ctx.vars(ctx.model().node(me.ip()).orElseThrow()), ClusterFacts.of(ctx, cluster));
    }

    Postgres pg() {
        return Postgres.of(v, me);
    }

    Patroni patroni() {
        return Patroni.of(v);
    }

    String dbsu() {
        return v.str("pg_dbsu");
    }

    /** {@code pg_fs_main/<cluster>-<version>}, where {@code /pg} points. */
    String clusterDir() {
        return Paths.clusterDir(v, cluster);
    }

    /** A standby cluster: its primary replicates from another cluster ({@code pg_upstream}). */
    boolean standbyCluster() {
        return cluster.primary().flatMap(PgInstance::upstream).isPresent();
    }

    /** {@code pg_listen} with Pigsty's placeholders: {@code ${ip}}, {@code ${vip}}, {@code ${lo}}. */
    String listen() {
        return listen(v.str("pg_listen"), me.ip(), cluster.vipAddress());
    }

    static String listen(String pgListen, String ip, Optional<String> vip) {
        String out = pgListen.replace("${ip}", ip).replace("${lo}", "127.0.0.1");
        return out.replace("${vip}", vip.map(x -> x.replaceFirst("/.*", "")).orElse(ip));
    }

    /** What Pigsty's HBA aliases stand for on this cluster. */
    Hba.Aliases hbaAliases() {
        return new Hba.Aliases(v.str("pg_dbsu"), v.str("pg_replication_username"), v.str("pg_monitor_username"),
                v.str("pg_admin_username"), v.str("admin_ip"), ctx.model().infra().stream().map(InfraNode::ip).toList(),
                cluster.instances().stream().map(PgInstance::ip).toList(), v.str("pg_pwd_enc"));
    }
}
