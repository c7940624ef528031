package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.ClusterSection;

/**
 * What the member's own Patroni says of its PostgreSQL ({@code GET /patroni} on the host): its
 * role and state, and the walsenders it runs, so a plan knows which replica really streams from
 * which member before it hands the lead to it. Asked of the local Patroni only: a member whose
 * Patroni does not answer has no status.
 */
public final class PatroniStatus extends ClusterSection<PatroniStatus.View> {
    static final String KIND = "pgsql.patroni-status";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One walsender: the member it feeds ({@code application_name}), its state and sync state. */
    public record Sender(String member, String state, String syncState) {
        public boolean streaming() {
            return state.equals("streaming");
        }
    }

    /**
     * @param answered the local Patroni answered
     * @param role     {@code master}/{@code primary}, {@code replica} or {@code standby_leader}
     * @param state    {@code running}, {@code stopped}, {@code starting} ...
     * @param senders  the walsenders of the member's PostgreSQL
     */
    public record View(boolean answered, String role, String state, List<Sender> senders) {
        static View none() {
            return new View(false, "", "", List.of());
        }

        /** The walsender feeding {@code member}, when this member runs one. */
        public Optional<Sender> feeding(String member) {
            return senders.stream().filter(s -> s.member().equals(member)).findFirst();
        }
    }

    public PatroniStatus(String cluster, Patroni patroni) {
        super(KIND, cluster, "curl -sf -m 2 \"" + patroni.url("127.0.0.1", "patroni") + "\" 2>/dev/null; true\n");
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
        String s = output.trim();
        if (!s.startsWith("{")) {
            return View.none();
        }
        try {
            JsonNode root = JSON.readTree(s);
            List<Sender> senders = new ArrayList<>();
            for (JsonNode r : root.path("replication")) {
                senders.add(new Sender(r.path("application_name").asText(), r.path("state").asText(), r.path("sync_state").asText()));
            }
            return new View(true, root.path("role").asText(), root.path("state").asText(), List.copyOf(senders));
        } catch (java.io.IOException e) {
            return View.none();
        }
    }
}
