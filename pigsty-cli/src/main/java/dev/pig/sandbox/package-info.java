/**
 * The sandbox: a lab of real Debian nodes on the local machine, one per inventory host, so that
 * pig can be tried and tested end to end without VMs. It owns the cached base image, each node's
 * overlay disk, network namespace and systemd-nspawn process, the host bridge and the package
 * proxy on it, and tearing all of that down again. Pure planning (addresses, names, parsers of
 * host state) is kept apart from the code that runs the host's tools, so it is tested without a
 * host.
 */
package dev.pig.sandbox;
