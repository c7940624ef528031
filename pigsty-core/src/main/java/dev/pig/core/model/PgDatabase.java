package dev.pig.core.model;

import java.util.List;
import java.util.Optional;

/**
 * An entry of {@code pg_databases}:
 *
 * <pre>
 * pg_databases:
 *   - { name: meta, baseline: cmdb.sql, schemas: [pigsty], extensions: [{ name: vector }] }
 * </pre>
 */
public record PgDatabase(String name, Optional<String> owner, Optional<String> template, Optional<String> encoding,
                         Optional<String> locale, Optional<String> lcCollate, Optional<String> lcCtype,
                         Optional<String> tablespace, boolean allowConn, boolean revokeConn, int connlimit,
                         List<String> schemas, List<Extension> extensions, String comment, Optional<String> baseline,
                         boolean pgbouncer, Optional<String> poolMode, Optional<Integer> poolSize,
                         Optional<Integer> poolSizeReserve, Optional<Integer> poolSizeMin,
                         Optional<Integer> poolMaxDbConn, State state) {

    /** An extension to create in the database. */
    public record Extension(String name, Optional<String> schema, Optional<String> version) {
    }

    /** Whether the database should exist, or be dropped and created again once. */
    public enum State {
        CREATE, ABSENT, RECREATE
    }
}
