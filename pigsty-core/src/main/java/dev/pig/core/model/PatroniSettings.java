package dev.pig.core.model;

import java.util.Set;

/**
 * PostgreSQL settings Patroni keeps for the whole cluster in the DCS: it ignores them in an
 * instance's own {@code postgresql.parameters}, so they must be the same for every instance and
 * are changed in the DCS ({@code PATCH /config}).
 *
 * <pre>
 * pg-test:
 *   vars:
 *     pg_parameters: { max_connections: 600 }   # cluster-wide: in the cluster's vars, not a host's
 * </pre>
 */
public final class PatroniSettings {
    /** Patroni 3.0's cluster-wide settings a user may set ({@code listen_addresses} and {@code port} are Patroni's own). */
    public static final Set<String> CLUSTER_WIDE = Set.of("max_connections", "max_locks_per_transaction",
            "max_worker_processes", "max_prepared_transactions", "wal_level", "track_commit_timestamp",
            "max_wal_senders", "max_replication_slots", "wal_log_hints", "wal_keep_size", "wal_keep_segments");

    private PatroniSettings() {
    }
}
