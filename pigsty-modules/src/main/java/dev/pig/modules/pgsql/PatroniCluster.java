package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.ClusterSection;
import dev.pig.core.ssh.Shell;

/**
 * The cluster as Patroni on the host sees it ({@code GET /cluster} on its REST API), gathered
 * with the other facts: who leads now, which may not be the inventory's primary after a
 * failover, and which members wait for a restart. Asked of the local Patroni first, then of the
 * other members; empty when none answers.
 */
public final class PatroniCluster extends ClusterSection<PatroniCluster.View> {
    static final String KIND = "pgsql.patroni";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One member as the DCS has it: name, role (leader, replica, sync_standby, standby_leader),
     * state, host, whether Patroni reports a setting waiting for a restart, its tags, its lag
     * behind the leader in bytes (-1 when unknown or for the leader), and its timeline (-1 when
     * PostgreSQL does not run).
     */
    public record Member(String name, String role, String state, String host, boolean pendingRestart,
                         Map<String, String> tags, long lag, int timeline) {
        public Member(String name, String role, String state, String host) {
            this(name, role, state, host, false, Map.of(), -1, -1);
        }

        public boolean leads() {
            return role.equals("leader") || role.equals("standby_leader");
        }

        /** Runs PostgreSQL: Patroni reports {@code running} (or {@code streaming}, in later versions). */
        public boolean running() {
            return state.equals("running") || state.equals("streaming");
        }

        public boolean tag(String name) {
            return Boolean.parseBoolean(tags.getOrDefault(name, "false"));
        }
    }

    /**
     * What one host's Patroni reports; {@code answered} is false when none answered, {@code paused}
     * when the cluster is in maintenance mode.
     */
    public record View(boolean answered, List<Member> members, boolean paused) {
        public View(boolean answered, List<Member> members) {
            this(answered, members, false);
        }

        public Optional<Member> leader() {
            return members.stream().filter(Member::leads).findFirst();
        }

        public Optional<Member> member(String name) {
            return members.stream().filter(m -> m.name().equals(name)).findFirst();
        }
    }

    /** @param members the IPs of the cluster's instances, asked in turn when the local Patroni does not answer */
    public PatroniCluster(String cluster, Patroni patroni, List<String> members) {
        // a host joining the cluster has no Patroni yet: another member tells who leads
        super(KIND, cluster, "for h in 127.0.0.1 " + Shell.join(members) + "; do " + patroni.fetch("$h", "cluster") + " && exit 0; done; true\n");
    }

    /** The section of {@code cluster}, as its members are asked it when planning. */
    public static PatroniCluster of(dev.pig.modules.ModuleContext ctx, dev.pig.core.model.PgCluster cluster) {
        return ClusterFacts.of(ctx, cluster).members();
    }

    /** The section of one PostgreSQL cluster. */
    public static String nameOf(String cluster) {
        return ClusterSection.nameOf(KIND, cluster);
    }

    @Override
    public boolean isVolatile() {
        return true;
    }

    @Override
    public View parse(String output) {
        String s = output.trim();
        if (!s.startsWith("{")) {
            return new View(false, List.of());
        }
        try {
            JsonNode root = JSON.readTree(s);
            List<Member> out = new ArrayList<>();
            for (JsonNode m : root.path("members")) {
                Map<String, String> tags = new TreeMap<>();
                m.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
                JsonNode lag = m.path("lag");
                out.add(new Member(m.path("name").asText(), m.path("role").asText(), m.path("state").asText(),
                        m.path("host").asText(), m.path("pending_restart").asBoolean(false), Map.copyOf(tags),
                        lag.isNumber() ? lag.asLong() : -1, m.path("timeline").isNumber() ? m.path("timeline").asInt() : -1));
            }
            return new View(true, List.copyOf(out), root.path("pause").asBoolean(false));
        } catch (java.io.IOException e) {
            return new View(false, List.of());
        }
    }
}
