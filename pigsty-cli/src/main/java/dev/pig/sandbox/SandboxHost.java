package dev.pig.sandbox;

import dev.pig.core.param.ParamCatalog;

/**
 * One node of the sandbox: the hostname it gets, its IPv4 address and the Debian release it runs.
 *
 * @param name    the node's hostname, e.g. {@code pg-test-1}
 * @param ip      its address on the sandbox bridge, e.g. {@code 10.10.10.11}
 * @param release the codename of its base image, {@code sandbox_release}: {@code bookworm} or {@code trixie}
 */
public record SandboxHost(String name, String ip, String release) {
    /** The release of a node whose inventory does not say: {@code sandbox_release}'s default. */
    public static final String DEFAULT_RELEASE = String.valueOf(
            ParamCatalog.builtIn().find("sandbox_release").orElseThrow().defaultValue());

    /** A node of the default release. */
    public SandboxHost(String name, String ip) {
        this(name, ip, DEFAULT_RELEASE);
    }
}
