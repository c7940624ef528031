package dev.pig.modules.etcd;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.fact.FactSection;

/**
 * The etcd member list as one member sees it ({@code etcdctl member list}), gathered with the
 * other facts. Empty when etcd is not installed or not running on the host.
 */
public final class EtcdMembers implements FactSection<EtcdMembers.View> {
    public static final String NAME = "etcd.members";
    private final String script;

    /**
     * One member: its id (hex), name and client URL (empty until it first starts), peer URL,
     * whether it ever started (a dead member stays {@code started}: see {@link EtcdHealth}).
     */
    public record Member(String id, String name, String peerUrl, String clientUrl, boolean started, boolean learner) {
    }

    /** What one host reports: whether its etcd answered, and the members it knows. */
    public record View(boolean answered, List<Member> members) {
        /** Whether a member has this peer address, whatever the scheme (a cluster moving to https lists both). */
        public boolean has(String peerUrl) {
            return members.stream().anyMatch(m -> Etcdctl.hostPort(m.peerUrl()).equals(Etcdctl.hostPort(peerUrl)));
        }
    }

    EtcdMembers(String etcdctl) {
        this.script = "command -v etcdctl >/dev/null 2>&1 || exit 0\n"
                + "systemctl is-active -q etcd.service || exit 0\n"
                + etcdctl + " member list 2>/dev/null || echo '@@unanswered'\n";
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
        List<Member> out = new ArrayList<>();
        boolean answered = false;
        for (String line : output.split("\n")) {
            String l = line.trim();
            if (l.isEmpty() || l.equals("@@unanswered")) {
                continue;
            }
            // 8e9e05c52164694d, started, etcd-1, http://10.10.10.10:2380, http://10.10.10.10:2379, false
            String[] f = l.split(",\\s*");
            if (f.length >= 4) {
                answered = true;
                out.add(new Member(f[0], f[2], f[3], f.length > 5 ? f[4] : "", f[1].equals("started"),
                        f.length > 5 && f[5].equals("true")));
            }
        }
        return new View(answered, List.copyOf(out));
    }

    @Override
    public String summary(View v) {
        if (!v.answered()) {
            return "etcd does not run here";
        }
        return v.members().size() + " listed: " + String.join(", ", v.members().stream()
                .map(m -> (m.name().isEmpty() ? m.peerUrl() : m.name()) + (m.started() ? "" : " (unstarted)")).toList());
    }
}
