package dev.pig.modules.pgsql;

import dev.pig.core.model.PgCluster;
import dev.pig.modules.HostVars;

/**
 * Where the PGSQL module keeps things, Pigsty's layout:
 *
 * <pre>
 * /pg -> /data/postgres/pg-test-15        pg_fs_main/&lt;cluster&gt;-&lt;version&gt;
 *        {data,conf,log,tmp,cert,spool,bin}
 * /etc/patroni/patroni.yml                 the dbsu's, 0600
 * </pre>
 */
final class Paths {
    static final String PATRONI_DIR = "/etc/patroni";
    static final String PATRONI_CONF = PATRONI_DIR + "/patroni.yml";
    static final String PATRONI_UNIT = "/etc/systemd/system/patroni.service";
    static final String CREATECLUSTER = "/etc/postgresql-common/createcluster.conf";
    /** The link to the instance's directory that Pigsty's tools and pig's scripts use. */
    static final String PG_LINK = "/pg";

    private Paths() {
    }

    /** {@code pg_fs_main/<cluster>-<pg_version>}: the directory {@code /pg} points to. */
    static String clusterDir(HostVars v, PgCluster cluster) {
        return v.str("pg_fs_main") + "/" + cluster.name() + "-" + v.integer("pg_version");
    }
}
