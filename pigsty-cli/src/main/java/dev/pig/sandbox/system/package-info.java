/**
 * The machine the sandbox runs on: whether it can run one at all ({@code HostCheck}), running its
 * tools with argument lists, never through a shell ({@code Tools}), finding and stopping
 * processes ({@code Procs}), its mounts and files ({@code HostFiles}), its network links and
 * namespaces ({@code IpObject}), and pure parsers of what it reports ({@code HostParsers}). Nothing
 * here knows what a sandbox node is.
 */
package dev.pig.sandbox.system;
