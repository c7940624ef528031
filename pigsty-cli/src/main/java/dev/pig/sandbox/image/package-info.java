/**
 * The Debian root file system every sandbox node's disk sits on: built once with debootstrap
 * from the host's own apt mirror, cached under a key of its suite and packages, and removed by
 * {@code down --purge}. Knows nothing of nodes.
 */
package dev.pig.sandbox.image;
