package dev.pig.sandbox;

import java.util.Optional;

/**
 * What is known about one sandbox node.
 *
 * @param host    the node
 * @param pid     its systemd-nspawn process, if one is running
 * @param state   what {@code systemctl is-system-running} answered over SSH ({@code running},
 *                {@code degraded}, ...), or empty if SSH did not answer
 */
public record NodeStatus(SandboxHost host, Optional<Long> pid, Optional<String> state) {
    public boolean running() {
        return pid.isPresent();
    }

    /** Whether sshd accepted the sandbox key and the node answered. */
    public boolean sshOk() {
        return state.isPresent();
    }
}
