package dev.pig.modules.pgsql;

import java.util.List;

import dev.pig.core.fact.FactSection;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * The fact sections of one PostgreSQL cluster, gathered on each of its members: who leads and
 * who replicates ({@link PatroniCluster}), the DCS config ({@link PatroniLive}), what the local
 * PostgreSQL says ({@link PgCatalog}), the backup repository ({@link BackrestInfo}), whether an
 * S3 repository's endpoint takes connections ({@link S3Probe}) and what each member's Patroni
 * says of its own PostgreSQL and walsenders ({@link PatroniStatus}). They are
 * built from the cluster's first member's parameters, so every member asks the same questions.
 */
record ClusterFacts(PatroniCluster members, PatroniLive live, PgCatalog catalog, BackrestInfo backrest, S3Probe s3, PatroniStatus status) {

    static ClusterFacts of(ModuleContext ctx, PgCluster cluster) {
        PgInstance first = cluster.instances().get(0);
        HostVars v = ctx.vars(ctx.model().node(first.ip()).orElseThrow());
        Patroni patroni = Patroni.of(v);
        List<String> ips = cluster.instances().stream().map(PgInstance::ip).toList();
        Postgres pg = Postgres.of(v, first);
        return new ClusterFacts(new PatroniCluster(cluster.name(), patroni, ips), new PatroniLive(cluster.name(), patroni, ips),
                new PgCatalog(cluster.name(), pg), new BackrestInfo(cluster.name(), pg), S3Probe.of(cluster.name(), v),
                new PatroniStatus(cluster.name(), patroni, ips));
    }

    List<FactSection<?>> all() {
        return List.of(members, live, catalog, backrest, s3, status);
    }
}
