package dev.pig.modules.pgsql;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.FactSection;

/**
 * What a running cluster has now, beside its members ({@link PatroniCluster}): the dynamic
 * configuration in the DCS ({@code GET /config}, asked of the local Patroni, then of the other
 * members), and from the local PostgreSQL which settings take effect only at a restart
 * ({@code context = 'postmaster'}) and which wait for one ({@code pending_restart}).
 */
public final class PatroniLive implements FactSection<PatroniLive.View> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String cluster;
    private final String script;

    /**
     * @param answered      a Patroni of the cluster returned its config
     * @param config        the DCS config as Patroni keeps it
     * @param postgres      the local PostgreSQL answered
     * @param restartOnly   settings PostgreSQL reads only when it starts
     * @param pending       settings changed in the config files that wait for a restart
     */
    public record View(boolean answered, Map<String, Object> config, boolean postgres, Set<String> restartOnly,
                       Set<String> pending) {
        static View none() {
            return new View(false, Map.of(), false, Set.of(), Set.of());
        }
    }

    /**
     * @param members the IPs of the cluster's instances, asked in turn when the local Patroni does not answer
     */
    public PatroniLive(String cluster, int patroniPort, List<String> members, String dbsu, String socketDir, int pgPort) {
        this.cluster = cluster;
        StringBuilder b = new StringBuilder("for h in 127.0.0.1");
        members.forEach(m -> b.append(' ').append(m));
        b.append("; do c=$(curl -sf -m 2 http://$h:").append(patroniPort).append("/config 2>/dev/null)")
                .append(" && { printf '@@config\\n%s\\n' \"$c\"; break; }; done\n");
        String sql = "SELECT name, context, pending_restart FROM pg_settings WHERE context = 'postmaster' OR pending_restart";
        b.append("command -v psql >/dev/null 2>&1 || exit 0\n")
                .append("id ").append(dbsu).append(" >/dev/null 2>&1 || exit 0\n")
                .append("cd /tmp\n")
                .append("s=$(su -s /bin/sh ").append(dbsu).append(" -c \"psql -h ").append(socketDir).append(" -p ").append(pgPort)
                .append(" -AtXq -F '|' -d postgres -c \\\"").append(sql).append("\\\"\" 2>/dev/null)")
                .append(" && printf '@@settings\\n%s\\n' \"$s\"\n")
                .append("true\n");
        this.script = b.toString();
    }

    public static String nameOf(String cluster) {
        return "pgsql.patroni-live." + cluster;
    }

    @Override
    public String name() {
        return nameOf(cluster);
    }

    @Override
    public String script() {
        return script;
    }

    @Override
    public View parse(String output) {
        Map<String, Object> config = Map.of();
        boolean answered = false;
        boolean postgres = false;
        Set<String> restartOnly = new TreeSet<>();
        Set<String> pending = new TreeSet<>();
        String part = "";
        for (String line : output.split("\n")) {
            if (line.equals("@@config") || line.equals("@@settings")) {
                part = line;
                postgres |= line.equals("@@settings");
                continue;
            }
            if (part.equals("@@config") && line.trim().startsWith("{")) {
                try {
                    config = JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { });
                    answered = true;
                } catch (IOException e) {
                    answered = false;
                }
            } else if (part.equals("@@settings")) {
                String[] f = line.split("\\|", -1);
                if (f.length >= 3) {
                    if (f[1].equals("postmaster")) {
                        restartOnly.add(f[0]);
                    }
                    if (f[2].equals("t")) {
                        pending.add(f[0]);
                    }
                }
            }
        }
        return new View(answered, config, postgres, Set.copyOf(restartOnly), Set.copyOf(pending));
    }
}
