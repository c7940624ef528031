/**
 * The sandbox: a lab of real Debian nodes on the local machine, one per inventory host, so that
 * pig can be tried and tested end to end without VMs. It is not part of the engine: only
 * {@code pig sandbox} and the end-to-end tests use it, and nothing in pigsty-core or
 * pigsty-modules may.
 *
 * <p>This package owns the sandbox's lifecycle ({@link dev.pig.sandbox.Sandbox}: up, down, status,
 * ssh) and one class per piece of a node: its network on the host bridge, its overlay disk, its
 * systemd-nspawn process, the package proxy, the SSH keys, the lock between commands. Pure
 * planning ({@link dev.pig.sandbox.SandboxNetwork}, {@link dev.pig.sandbox.SandboxHosts}) is kept
 * apart from the code that runs the host's tools, so it is tested without a host. Below it:
 * {@code image} (the cached base image) and {@code system} (the host's tools, processes, mounts
 * and links).
 */
package dev.pig.sandbox;
