package dev.pig.modules.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.pig.core.fact.FactSection;
import dev.pig.core.model.Secret;
import dev.pig.core.ssh.Shell;

/**
 * Whether each etcd member answers, as one host sees it: {@code etcdctl endpoint health} against
 * the client URL of every member of the inventory and of every member the local etcd lists,
 * probed in parallel with short timeouts, in the same round trip as the other facts.
 *
 * <p>A member is healthy when it serves a read through consensus, so a member cut off from the
 * majority reports unhealthy even though its process runs. {@code member list} cannot tell this:
 * a member that once joined stays {@code started} after it dies.
 *
 * <pre>
 * http://10.10.10.10:2379 healthy
 * http://10.10.10.11:2379 healthy
 * http://10.10.10.12:2379 unhealthy
 * </pre>
 */
public final class EtcdHealth implements FactSection<EtcdHealth.View> {
    public static final String NAME = "etcd.health";
    private final String script;

    /** Health by client URL, sorted; empty when the host has no etcdctl to ask with. */
    public record View(Map<String, Boolean> endpoints) {
        public View {
            endpoints = java.util.Collections.unmodifiableMap(new TreeMap<>(endpoints));
        }

        /** Whether the member at {@code clientUrl} answered, over either scheme; false when it was not probed. */
        public boolean healthy(String clientUrl) {
            String at = Etcdctl.hostPort(clientUrl);
            return endpoints.entrySet().stream().anyMatch(e -> e.getValue() && Etcdctl.hostPort(e.getKey()).equals(at));
        }

        /** Whether the host could probe anything at all (it has etcdctl). */
        public boolean probed() {
            return !endpoints.isEmpty();
        }

        public long healthyCount() {
            return endpoints.values().stream().filter(Boolean::booleanValue).count();
        }

        public List<String> unhealthy() {
            return endpoints.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        }
    }

    /**
     * @param clientUrls     every member's client URL from the inventory, {@code http://IP:PORT}
     * @param localPort      the client port of the etcd on the probing host, for its member list
     * @param rootPassword   tried when an anonymous probe fails (some etcd versions need a user)
     * @param tls            the probing member's files, when etcd serves https ({@code etcd_tls}); a
     *                       member still on http is probed over http too, and counts under its inventory URL
     */
    EtcdHealth(List<String> clientUrls, int localPort, Secret rootPassword, Etcdctl.Tls tls) {
        String probe = "ETCDCTL_API=3 timeout 5 etcdctl --endpoints=\"$pig_url\"" + Etcdctl.Tls.flags(tls) + " --dial-timeout=1s --command-timeout=2s";
        String tryBoth = tls == null ? "for pig_url in \"$1\"; do" : "for pig_url in \"$1\" \"http://${1#*://}\"; do";
        this.script = "command -v etcdctl >/dev/null 2>&1 || exit 0\n"
                + "pig_eps=" + Shell.quote(String.join("\n", clientUrls)) + "\n"
                // members the cluster lists but the inventory does not (a host left out of it) count too
                + "if systemctl is-active -q etcd.service; then\n"
                + "  pig_eps=\"$pig_eps\n$(" + Etcdctl.local(localPort, tls).inlinePrelude(rootPassword) + Etcdctl.FUNCTION
                // under the inventory's scheme, so a member listed with the other one is probed once
                + " member list 2>/dev/null | awk -F', *' 'NF >= 6 && $5 ~ /^https?:/ { sub(/^https?:/, \"" + Etcdctl.scheme(tls)
                + ":\", $5); print $5 }')\"\n"
                + "fi\n"
                + "pig_probe() {\n"
                + "  " + tryBoth + "\n"
                // the script travels on stdin: root's password in the environment of the probe, not its arguments
                + "    if " + probe + " endpoint health >/dev/null 2>&1 || ETCDCTL_USER=" + Shell.quote("root:" + rootPassword.reveal())
                + " " + probe + " endpoint health >/dev/null 2>&1; then\n"
                + "      echo \"$1 healthy\"; return\n"
                + "    fi\n"
                + "  done\n"
                + "  echo \"$1 unhealthy\"\n"
                + "}\n"
                // every member at once: a dead one costs its timeout, not a timeout per member
                + "{ for pig_ep in $(printf '%s\\n' \"$pig_eps\" | grep . | sort -u); do pig_probe \"$pig_ep\" & done; wait; } | sort\n";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String script() {
        return script;
    }

    @Override
    public View parse(String output) {
        Map<String, Boolean> out = new TreeMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && (f[1].equals("healthy") || f[1].equals("unhealthy"))) {
                out.put(f[0], f[1].equals("healthy"));
            }
        }
        return new View(out);
    }

    @Override
    public String summary(View v) {
        if (!v.probed()) {
            return "not probed (no etcdctl on this host)";
        }
        List<String> parts = new ArrayList<>();
        parts.add(v.healthyCount() + " of " + v.endpoints().size() + " members healthy");
        if (!v.unhealthy().isEmpty()) {
            parts.add("unhealthy: " + String.join(", ", v.unhealthy()));
        }
        return String.join("; ", parts);
    }
}
