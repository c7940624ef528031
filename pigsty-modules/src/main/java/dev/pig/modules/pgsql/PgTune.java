package dev.pig.modules.pgsql;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pig.core.diag.PigException;

/**
 * The {@code pg_conf} tuning profiles, computed from a node's CPUs and memory the way Pigsty's
 * oltp/olap/crit/tiny templates do:
 *
 * <pre>
 * pg_conf: oltp.yml              # oltp, olap, crit or tiny
 * pg_max_conn: auto              # oltp/crit 500 (250 behind pgbouncer), olap 200, tiny 250
 * pg_shared_buffer_ratio: 0.25   # shared_buffers = memory * ratio
 * </pre>
 *
 * {@link #global()} are the settings Patroni keeps in the DCS for the whole cluster (it refuses
 * to take them per instance); {@link #local()} the ones each instance's patroni.yml sets.
 */
public record PgTune(String profile, int maxConn, Map<String, Object> global, Map<String, Object> local) {

    /** Memory and CPUs of the node, with the profile's parameters. */
    public static PgTune of(String pgConf, Object pgMaxConn, String serviceDest, double sharedBufferRatio,
                            long memMb, int cpus, String storage) {
        String p = pgConf.replaceFirst("\\.ya?ml$", "");
        if (!Map.of("oltp", 1, "olap", 1, "crit", 1, "tiny", 1).containsKey(p)) {
            throw new PigException(PigException.Kind.USAGE, "pg_conf " + pgConf + " is not one of oltp.yml, olap.yml, crit.yml, tiny.yml");
        }
        int maxConn = maxConn(p, pgMaxConn, serviceDest);
        cpus = Math.max(cpus, 1);
        long sb = (long) Math.ceil(memMb * sharedBufferRatio);
        long cache = Math.max(memMb - sb, 64);
        long maint = Math.min(sb / (p.equals("olap") ? 2 : 4), p.equals("olap") ? 8192 : 2048);
        long workMem = clamp(sb / maxConn, p.equals("tiny") ? 4 : 64, switch (p) {
            case "olap" -> 8192;
            case "tiny" -> 64;
            default -> 1024;
        });
        int workers = cpus + 8;
        int parallel = switch (p) {
            case "olap" -> Math.max(2, cpus);
            case "tiny" -> 2;
            default -> Math.max(2, cpus / 2);
        };
        int perGather = switch (p) {
            case "olap" -> Math.max(2, cpus / 2);
            case "crit" -> 0;
            case "tiny" -> 1;
            default -> (int) clamp(cpus / 8, 1, 2);
        };
        long maxWal = switch (p) {
            case "tiny" -> 1024;
            case "olap" -> clamp(memMb / 2, 4096, 131072);
            default -> clamp(memMb / 4, 2048, 65536);
        };
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("max_connections", maxConn);
        global.put("max_prepared_transactions", p.equals("crit") ? maxConn : 0);
        global.put("max_locks_per_transaction", p.equals("olap") ? 1024 : p.equals("tiny") ? 64 : 256);
        global.put("max_worker_processes", workers);
        global.put("max_wal_senders", 50);
        global.put("max_replication_slots", 50);
        global.put("wal_level", "logical");
        global.put("wal_log_hints", "on");
        global.put("track_commit_timestamp", "on");
        global.put("wal_keep_size", "1GB"); // Patroni takes it from the DCS only
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("shared_buffers", sb + "MB");
        local.put("effective_cache_size", cache + "MB");
        local.put("maintenance_work_mem", Math.max(maint, 64) + "MB");
        local.put("work_mem", workMem + "MB");
        local.put("max_parallel_workers", parallel);
        local.put("max_parallel_workers_per_gather", perGather);
        local.put("max_parallel_maintenance_workers", Math.max(1, Math.min(cpus / 4, 4)));
        local.put("min_wal_size", Math.max(maxWal / 4, 80) + "MB");
        local.put("max_wal_size", maxWal + "MB");
        local.put("wal_buffers", "16MB");
        local.put("checkpoint_timeout", p.equals("olap") ? "30min" : "15min");
        local.put("checkpoint_completion_target", 0.9);
        local.put("random_page_cost", storage.equals("HDD") ? 4 : 1.1);
        local.put("effective_io_concurrency", storage.equals("HDD") ? 2 : 200);
        local.put("huge_pages", "try");
        local.put("idle_in_transaction_session_timeout", p.equals("oltp") || p.equals("crit") ? "10min" : "0");
        local.put("synchronous_commit", p.equals("crit") ? "remote_write" : "on");
        return new PgTune(p, maxConn, global, local);
    }

    static int maxConn(String profile, Object pgMaxConn, String serviceDest) {
        if (pgMaxConn instanceof Number n) {
            return n.intValue();
        }
        if (pgMaxConn != null && String.valueOf(pgMaxConn).matches("\\d+")) {
            return Integer.parseInt(String.valueOf(pgMaxConn));
        }
        return switch (profile) {
            case "olap" -> 200;
            case "tiny" -> 250;
            default -> serviceDest.equals("pgbouncer") ? 250 : 500;
        };
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
