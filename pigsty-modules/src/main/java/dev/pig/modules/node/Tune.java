package dev.pig.modules.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kernel settings per {@code node_tune} profile, Pigsty's intent in sysctl form:
 * <ul>
 * <li>{@code oltp}: many short transactions; keep the page cache off swap and flush dirty pages
 * early and often so checkpoints do not stall, many connections and sockets;</li>
 * <li>{@code olap}: long scans and bulk loads; larger dirty thresholds for write throughput;</li>
 * <li>{@code crit}: correctness and steady latency first; the least dirty data at risk;</li>
 * <li>{@code tiny}: small VMs and containers; modest limits that cost little memory;</li>
 * <li>{@code none}: no profile, only the explicit settings below.</li>
 * </ul>
 * On top come strict overcommit ({@code node_overcommit_ratio}), huge pages
 * ({@code node_hugepage_count}, else {@code node_hugepage_ratio} of RAM, else 0) and, last and
 * winning, {@code node_sysctl_params}. Every profile but {@code none} also turns transparent huge
 * pages off, as Pigsty's tuned profiles do: their compaction stalls hurt a database's latency.
 */
final class Tune {
    static final long HUGEPAGE_KB = 2048;
    static final String THP = "/sys/kernel/mm/transparent_hugepage/enabled";

    private Tune() {
    }

    static Map<String, String> profile(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        if (name.equals("none")) {
            return m;
        }
        boolean tiny = name.equals("tiny");
        m.put("fs.file-max", tiny ? "1048576" : "16777216");
        m.put("fs.nr_open", "1048576");
        m.put("fs.aio-max-nr", "1048576");
        m.put("fs.inotify.max_user_watches", "524288");
        m.put("vm.swappiness", switch (name) {
            case "olap", "tiny" -> "10";
            default -> "1";
        });
        m.put("vm.dirty_background_ratio", switch (name) {
            case "olap", "tiny" -> "10";
            case "crit" -> "1";
            default -> "3";
        });
        m.put("vm.dirty_ratio", switch (name) {
            case "olap" -> "40";
            case "tiny" -> "20";
            case "crit" -> "5";
            default -> "10";
        });
        m.put("vm.dirty_expire_centisecs", name.equals("olap") ? "3000" : "500");
        m.put("vm.dirty_writeback_centisecs", name.equals("olap") ? "500" : "100");
        // a NUMA node reclaiming its own cache instead of using a neighbour's memory hurts a shared buffer pool
        m.put("vm.zone_reclaim_mode", "0");
        m.put("net.core.somaxconn", tiny ? "4096" : "65535");
        m.put("net.core.netdev_max_backlog", tiny ? "1024" : "8192");
        m.put("net.ipv4.tcp_max_syn_backlog", tiny ? "1024" : "8192");
        m.put("net.ipv4.ip_local_port_range", "10000 65535");
        m.put("net.ipv4.tcp_tw_reuse", "1");
        m.put("net.ipv4.tcp_fin_timeout", "15");
        m.put("net.ipv4.tcp_syncookies", "1");
        // dead clients and half-open connections through haproxy are found within two minutes
        m.put("net.ipv4.tcp_keepalive_time", "60");
        m.put("net.ipv4.tcp_keepalive_intvl", "10");
        m.put("net.ipv4.tcp_keepalive_probes", "6");
        m.put("net.ipv4.tcp_slow_start_after_idle", "0");
        if (!tiny) {
            m.put("net.core.rmem_max", "16777216");
            m.put("net.core.wmem_max", "16777216");
            m.put("net.ipv4.tcp_rmem", "4096 87380 16777216");
            m.put("net.ipv4.tcp_wmem", "4096 65536 16777216");
        }
        if (name.equals("crit")) {
            m.put("kernel.panic_on_oops", "1");
        }
        return m;
    }

    /**
     * Every setting of the tune file, in file order.
     *
     * @param memoryKb the host's RAM, for {@code node_hugepage_ratio}
     */
    static Map<String, String> settings(String profile, int overcommitRatio, int hugepageCount, double hugepageRatio,
                                        long memoryKb, Map<String, Object> extra) {
        Map<String, String> m = profile(profile);
        if (overcommitRatio > 0) {
            m.put("vm.overcommit_memory", "2");
            m.put("vm.overcommit_ratio", String.valueOf(overcommitRatio));
        }
        // with huge pages off the count is still written, as 0: a kernel that had them from an
        // earlier setting gives them back (none leaves them alone, like every other setting)
        if (!profile.equals("none") || hugepageCount > 0 || hugepageRatio > 0) {
            m.put("vm.nr_hugepages", String.valueOf(hugepages(hugepageCount, hugepageRatio, memoryKb)));
        }
        extra.forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    /** The keys of {@link #settings}, which do not depend on the host's memory. */
    static java.util.Set<String> keys(String profile, int overcommitRatio, int hugepageCount, double hugepageRatio,
                                      Map<String, Object> extra) {
        return settings(profile, overcommitRatio, hugepageCount, hugepageRatio, 0, extra).keySet();
    }

    /** Whether the profile turns transparent huge pages off. */
    static boolean disablesThp(String profile) {
        return !profile.equals("none");
    }

    /** Huge pages of 2 MiB: an explicit count wins; a ratio of RAM is capped at 40% as Pigsty does. */
    static long hugepages(int count, double ratio, long memoryKb) {
        if (count > 0) {
            return count;
        }
        if (ratio <= 0) {
            return 0;
        }
        return (long) Math.floor(memoryKb * Math.min(ratio, 0.4) / HUGEPAGE_KB);
    }
}
