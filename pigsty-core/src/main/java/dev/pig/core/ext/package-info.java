/**
 * PostgreSQL extensions by Pigsty's names: the alias catalog ({@code param/extensions.yml}) and
 * a pure resolver from names to the Debian packages that carry them on one OS release and
 * PostgreSQL version, with a reason for each name that has none.
 */
package dev.pig.core.ext;
