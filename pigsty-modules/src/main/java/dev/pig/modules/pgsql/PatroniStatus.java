package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.ClusterSection;
import dev.pig.core.ssh.Shell;

/**
 * What each member's Patroni says of its own PostgreSQL ({@code GET /patroni}), asked from the
 * host of every member over the members' REST API: its role and state, and the walsenders it
 * runs, so a plan knows which replica really streams from which member before it hands the lead
 * to it, even when pig cannot reach that member's host.
 */
public final class PatroniStatus extends ClusterSection<PatroniStatus.View> {
    static final String KIND = "pgsql.patroni-status";
    private static final String MEMBER = "@@member ";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One walsender: the member it feeds ({@code application_name}), its state and sync state. */
    public record Sender(String member, String state, String syncState) {
        public boolean streaming() {
            return state.equals("streaming");
        }
    }

    /**
     * One member's answer.
     *
     * @param answered its Patroni answered
     * @param role     {@code master}/{@code primary}, {@code replica} or {@code standby_leader}
     * @param state    {@code running}, {@code stopped}, {@code starting} ...
     * @param senders  the walsenders of its PostgreSQL
     */
    public record Status(boolean answered, String role, String state, List<Sender> senders) {
        static Status none() {
            return new Status(false, "", "", List.of());
        }

        /** The walsender feeding {@code member}, when this member runs one. */
        public Optional<Sender> feeding(String member) {
            return senders.stream().filter(s -> s.member().equals(member)).findFirst();
        }
    }

    /** Each member's answer, by IP. */
    public record View(Map<String, Status> members) {
        public Status of(String ip) {
            return members.getOrDefault(ip, Status.none());
        }
    }

    /** @param members the IPs of the cluster's instances */
    public PatroniStatus(String cluster, Patroni patroni, List<String> members) {
        super(KIND, cluster, "for h in " + Shell.join(members) + "; do printf '" + MEMBER + "%s\\n' \"$h\"; " + patroni.fetch("$h", "patroni") + "; echo; done; true\n");
    }

    public static String nameOf(String cluster) {
        return ClusterSection.nameOf(KIND, cluster);
    }

    @Override
    public boolean isVolatile() {
        return true;
    }

    @Override
    public View parse(String output) {
        Map<String, Status> out = new LinkedHashMap<>();
        String member = null;
        for (String line : output.split("\n")) {
            if (line.startsWith(MEMBER)) {
                member = line.substring(MEMBER.length()).trim();
                out.put(member, Status.none());
            } else if (member != null && line.trim().startsWith("{")) {
                out.put(member, status(line.trim()));
            }
        }
        return new View(Map.copyOf(out));
    }

    private static Status status(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<Sender> senders = new ArrayList<>();
            for (JsonNode r : root.path("replication")) {
                senders.add(new Sender(r.path("application_name").asText(), r.path("state").asText(), r.path("sync_state").asText()));
            }
            return new Status(true, root.path("role").asText(), root.path("state").asText(), List.copyOf(senders));
        } catch (java.io.IOException e) {
            return Status.none();
        }
    }
}
