package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.ClusterSection;

/**
 * What {@code pgbackrest info} says of the cluster's stanza on one host: whether it exists and
 * the backups it holds. Empty when pgBackRest is not installed or not configured there.
 */
public final class BackrestInfo extends ClusterSection<BackrestInfo.View> {
    static final String KIND = "pgsql.backup";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A backup of the repository. */
    record Item(String label, String type, long start, long stop) {
    }

    /**
     * @param code    pgbackrest's stanza status: 0 ok, 1 missing stanza path, 2 no valid backups,
     *                3 missing stanza data, ...; -1 when pgbackrest did not answer
     * @param running whether a backup holds the stanza's backup lock now
     */
    record View(int code, String message, List<Item> backups, boolean running) {
        boolean stanzaExists() {
            return code == 0 || code == 2;
        }

        String last() {
            return backups.isEmpty() ? "none" : backups.get(backups.size() - 1).label();
        }
    }

    BackrestInfo(String cluster, Postgres pg) {
        super(KIND, cluster, "command -v pgbackrest >/dev/null 2>&1 && [ -f " + Backup.CONF + " ] || exit 0\n"
                + pg.pgbackrest("--stanza=" + cluster, "--output=json", "info") + " 2>/dev/null; true\n");
    }

    static String nameOf(String cluster) {
        return ClusterSection.nameOf(KIND, cluster);
    }

    @Override
    public View parse(String output) {
        String s = output.strip();
        if (!s.startsWith("[")) {
            return new View(-1, "pgbackrest is not set up here", List.of(), false);
        }
        try {
            JsonNode stanza = JSON.readTree(s).path(0);
            List<Item> items = new ArrayList<>();
            for (JsonNode b : stanza.path("backup")) {
                items.add(new Item(b.path("label").asText(), b.path("type").asText().toLowerCase(Locale.ROOT),
                        b.path("timestamp").path("start").asLong(), b.path("timestamp").path("stop").asLong()));
            }
            return new View(stanza.path("status").path("code").asInt(-1), stanza.path("status").path("message").asText(""),
                    List.copyOf(items), stanza.path("status").path("lock").path("backup").path("held").asBoolean(false));
        } catch (java.io.IOException e) {
            return new View(-1, "pgbackrest info printed no JSON", List.of(), false);
        }
    }
}
