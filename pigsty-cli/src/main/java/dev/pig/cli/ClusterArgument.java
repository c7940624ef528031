package dev.pig.cli;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.PgCluster;
import picocli.CommandLine.Parameters;

/** The {@code CLUSTER} argument of the {@code pig pgsql} verbs: a {@code pg_cluster} of the inventory. */
public final class ClusterArgument {
    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
    String name;

    /** The cluster of that name; refused, saying how to add it, when the inventory has none. */
    PgCluster in(ClusterModel m) {
        return m.pgCluster(name).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                "the inventory has no PostgreSQL cluster '" + name + "': add a group with pg_cluster: " + name + " first"));
    }

    @Override
    public String toString() {
        return name;
    }
}
