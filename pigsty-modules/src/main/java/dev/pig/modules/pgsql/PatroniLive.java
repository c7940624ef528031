package dev.pig.modules.pgsql;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.ClusterSection;
import dev.pig.core.ssh.Shell;

/**
 * The dynamic configuration of a running cluster in the DCS ({@code GET /config}), asked of the
 * local Patroni, then of the other members. What the local PostgreSQL says of its settings is in
 * {@link PgCatalog}.
 */
public final class PatroniLive extends ClusterSection<PatroniLive.View> {
    static final String KIND = "pgsql.patroni-live";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param answered a Patroni of the cluster returned its config
     * @param config   the DCS config as Patroni keeps it
     */
    public record View(boolean answered, Map<String, Object> config) {
        static View none() {
            return new View(false, Map.of());
        }
    }

    /** @param members the IPs of the cluster's instances, asked in turn when the local Patroni does not answer */
    public PatroniLive(String cluster, Patroni patroni, List<String> members) {
        super(KIND, cluster, "for h in 127.0.0.1 " + Shell.join(members) + "; do c=$(" + patroni.fetch("$h", "config") + ") && { printf '@@config\\n%s\\n' \"$c\"; break; }; done; true\n");
    }

    public static String nameOf(String cluster) {
        return ClusterSection.nameOf(KIND, cluster);
    }

    @Override
    public View parse(String output) {
        boolean config = false;
        for (String line : output.split("\n")) {
            if (line.equals("@@config")) {
                config = true;
            } else if (config && line.trim().startsWith("{")) {
                try {
                    return new View(true, JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { }));
                } catch (IOException e) {
                    return View.none();
                }
            }
        }
        return View.none();
    }
}
