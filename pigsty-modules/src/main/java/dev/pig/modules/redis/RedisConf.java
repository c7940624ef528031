package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.model.RedisCluster;

/**
 * The data of an instance's config file, under Pigsty's parameter names ({@code port},
 * {@code redis_max_memory} ...); derived values under names of their own ({@code instance},
 * {@code bind}, {@code dir}, {@code maxmemory} in Redis's units, {@code replica_of} as Redis writes it).
 * It also says which of the file's settings Redis changes live, as {@code CONFIG SET} takes them
 * ({@link #live()}), and which only at a restart ({@link #restartPart}).
 */
public record RedisConf(String instance, String redis_cluster, int redis_node, int port, String redis_mode, String bind, String dir,
                 String logfile, String maxmemory, String redis_max_memory, String redis_mem_policy, List<String> redis_rdb_save,
                 boolean redis_aof_enabled, String redis_password, String replica_of, Map<String, String> redis_rename_commands) {

    /** Directives Redis changes live: applied with CONFIG SET and written to the file, no restart. */
    static final Set<String> LIVE = Set.of("maxmemory", "maxmemory-policy", "save", "appendonly", "bind");
    /** Directives pig changes live by other means: passwords (rolled) and the replication source (REPLICAOF). */
    static final Set<String> OWN_WAY = Set.of("requirepass", "masterauth", "replicaof");

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?)(b?)", Pattern.CASE_INSENSITIVE);

    static RedisConf of(RedisHost h, RedisCluster.Instance i) {
        Map<String, String> renames = new LinkedHashMap<>();
        h.v().dict("redis_rename_commands").forEach((k, x) -> renames.put(k, x == null ? "" : String.valueOf(x)));
        String maxMemory = h.v().str("redis_max_memory");
        return new RedisConf(i.name(), h.cluster().name(), h.node().seq(), i.port(), h.cluster().mode().name().toLowerCase(Locale.ROOT),
                h.bind(), h.dataDir(i), RedisModule.log(i.name()), maxmemoryText(bytes(maxMemory)), maxMemory, h.v().str("redis_mem_policy"),
                h.v().strings("redis_rdb_save").stream().map(String::strip).toList(), h.v().bool("redis_aof_enabled"),
                h.password().reveal(), i.replicaOf().map(e -> e.host() + " " + e.port()).orElse(""), renames);
    }

    /**
     * A size of the inventory in bytes, read as Redis reads units: {@code 64MB}, {@code 64mb} and
     * {@code 64MiB} are 64 x 1024 x 1024; {@code 64m} without {@code b} is 64 x 1000 x 1000
     * (Redis's rule); a bare number is bytes.
     */
    static long bytes(String size) {
        Matcher m = SIZE.matcher(size.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + size);
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        boolean binary = !m.group(3).isEmpty() || !m.group(4).isEmpty();
        int power = "kmgtp".indexOf(unit) + 1;
        return (long) (n * Math.pow(binary ? 1024 : 1000, unit.isEmpty() ? 0 : power));
    }

    /** {@code maxmemory} as the file writes it: the largest binary unit it is a whole number of. */
    static String maxmemoryText(long maxmemory) {
        for (String u : List.of("gb", "mb", "kb")) {
            long f = switch (u) {
                case "gb" -> 1L << 30;
                case "mb" -> 1L << 20;
                default -> 1L << 10;
            };
            if (maxmemory > 0 && maxmemory % f == 0) {
                return maxmemory / f + u;
            }
        }
        return String.valueOf(maxmemory);
    }

    /** {@code save} as CONFIG GET shows it: the rules' numbers in one line, empty for none. */
    String saveLine() {
        return String.join(" ", redis_rdb_save);
    }

    /** What each setting of {@link #LIVE} should read in CONFIG GET. */
    Map<String, String> live() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("maxmemory", String.valueOf(bytes(redis_max_memory)));
        out.put("maxmemory-policy", redis_mem_policy);
        out.put("save", saveLine());
        out.put("appendonly", redis_aof_enabled ? "yes" : "no");
        out.put("bind", bind);
        return out;
    }

    /**
     * The lines of a config file that Redis reads only when it starts: every directive but those
     * it changes live, pig's own comments left out, so two files with the same part need no
     * restart between them.
     */
    static List<String> restartPart(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String directive = t.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (!LIVE.contains(directive) && !OWN_WAY.contains(directive)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The {@code replicaof} line of a file, without the directive; empty when it has none. */
    static String replicaOf(List<String> lines) {
        for (String l : lines) {
            String t = l.strip();
            if (t.toLowerCase(Locale.ROOT).startsWith("replicaof ") || t.toLowerCase(Locale.ROOT).startsWith("slaveof ")) {
                return t.split("\\s+", 2)[1].strip();
            }
        }
        return "";
    }
}
