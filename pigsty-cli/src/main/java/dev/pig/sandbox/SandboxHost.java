package dev.pig.sandbox;

/**
 * One node of the sandbox: the hostname it gets and its IPv4 address.
 *
 * @param name the node's hostname, e.g. {@code pg-test-1}
 * @param ip   its address on the sandbox bridge, e.g. {@code 10.10.10.11}
 */
public record SandboxHost(String name, String ip) {
}
