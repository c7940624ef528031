package dev.pig.core.model;

/**
 * An entry of {@code pg_default_services} / {@code pg_services}: an HAProxy frontend port that
 * routes to the cluster members chosen by {@code selector}.
 *
 * <pre>
 * - { name: primary, port: 5433, dest: default, check: /primary, selector: "[]" }
 * </pre>
 *
 * @param dest    where the servers listen: {@code default} ({@code pg_default_service_dest}),
 *                {@code postgres}, {@code pgbouncer} or a port number
 * @param check   the Patroni REST path whose 200 marks a server up
 * @param options HAProxy {@code default-server} options replacing the ones the {@code pg_rto} plan gives
 */
public record PgService(String name, int port, String ip, String selector, String backup, String dest,
                        String check, int maxconn, String balance, String options) {
}
