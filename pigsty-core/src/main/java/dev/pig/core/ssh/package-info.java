/**
 * Transport: running commands and writing files on a host, over SSH (sshj) or locally, with one
 * connection per host reused for a whole run, host key checking against {@code known_hosts}, and
 * failures reported as one-line per-host errors so other hosts can carry on.
 */
package dev.pig.core.ssh;
