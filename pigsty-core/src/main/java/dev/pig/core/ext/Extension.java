package dev.pig.core.ext;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of the extension catalog, under the name Pigsty uses in {@code pg_extensions}.
 *
 * @param pkg      Debian package name with {@code $v} for the PostgreSQL major version; empty for
 *                 contrib extensions and for those packaged outside Debian and PGDG
 * @param provides the names {@code CREATE EXTENSION} takes once the package is installed
 * @param aliases  other names that mean this entry, such as {@code vector} for pgvector
 * @param debian   the releases whose own archive has the package
 * @param pgdg     whether apt.postgresql.org has it for every version it carries
 * @param contrib  ships with the server package itself
 * @param elsewhere where it is packaged when neither Debian nor PGDG has it
 */
public record Extension(String name, Optional<String> pkg, List<String> provides, List<String> aliases,
                        Set<String> debian, boolean pgdg, boolean contrib, Optional<String> elsewhere) {

    /** The package for a PostgreSQL major version. */
    public Optional<String> packageFor(int pgVersion) {
        return pkg.map(p -> p.replace("$v", String.valueOf(pgVersion)));
    }
}
