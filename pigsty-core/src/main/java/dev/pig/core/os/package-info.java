/**
 * The operating system releases pig knows ({@code param/os-releases.yml}): each Debian release's
 * version and the PostgreSQL major its own archive packages, for whatever differs between
 * releases to be read from data rather than decided in code.
 */
package dev.pig.core.os;
