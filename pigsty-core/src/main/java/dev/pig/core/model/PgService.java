package dev.pig.core.model;

import java.util.Map;

/**
 * An entry of {@code pg_default_services} / {@code pg_services}: an HAProxy frontend port that
 * routes to the cluster members chosen by {@code selector}.
 *
 * <pre>
 * - { name: primary, port: 5433, dest: default, check: /primary, selector: "[]" }
 * </pre>
 */
public record PgService(String name, int port, String ip, String selector, String backup, String dest,
                        String check, int maxconn, String balance, Map<String, Object> options) {
}
