package dev.pig.sandbox;

import java.util.ArrayList;
import java.util.List;

import dev.pig.sandbox.system.HostParsers;
import dev.pig.sandbox.system.Tools;

/** How the sandbox logs in to its nodes: the system's ssh client, the sandbox key and pig's known_hosts. */
final class NodeSsh {
    private final SandboxLayout layout;

    NodeSsh(SandboxLayout layout) {
        this.layout = layout;
    }

    /** The ssh command line that runs a command on a node (a login shell if it is empty). */
    List<String> command(SandboxHost h, List<String> command, boolean batch) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-i", layout.key().toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + layout.knownHosts(),
                "-o", "StrictHostKeyChecking=accept-new",
                "-o", "LogLevel=ERROR"));
        if (batch) {
            cmd.addAll(List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=3"));
        }
        // after "--" nothing is an option of ssh, not even a command word that starts with "-"
        cmd.add("--");
        cmd.add("root@" + h.ip());
        if (!command.isEmpty()) {
            cmd.add(HostParsers.shellQuote(command));
        }
        return cmd;
    }

    /** Runs a command on a node and captures its output. */
    Tools.Result run(SandboxHost h, List<String> command, long timeoutSeconds) {
        return Tools.run(command(h, command, true), timeoutSeconds);
    }
}
