package dev.pig.core.model;

import java.util.Optional;

/**
 * One PostgreSQL instance: a host of a {@code pg_cluster} group.
 *
 * @param name {@code pg_instance}: {@code <pg_cluster>-<pg_seq>}, like {@code pg-test-1}
 * @param service {@code pg_service}: {@code <pg_cluster>-<role>}, like {@code pg-test-primary}
 * @param upstream {@code pg_upstream}: the instance this one replicates from, if not the primary
 */
public record PgInstance(String cluster, int seq, PgRole role, String ip, String name, String service,
                         Optional<String> upstream, boolean offlineQuery, int weight, int port) {
}
