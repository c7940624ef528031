package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;

/**
 * One {@code prometheus-redis-exporter} per node (Debian's package and unit), as Pigsty runs one
 * per node: Prometheus reaches every instance of the node through it
 * ({@code /scrape?target=redis://ip:port}, see {@code RedisCluster.scrapeTargets()}), and its own
 * {@code /metrics} shows the node's first instance. Its password comes from its environment file,
 * never its command line.
 *
 * <pre>
 * redis_exporter_enabled: true
 * redis_exporter_port: 9121
 * redis_exporter_options: '--include-config-metrics'
 * </pre>
 */
final class Exporter {
    static final String TAG = "redis_exporter";
    static final String DEFAULTS = "/etc/default/prometheus-redis-exporter";
    static final String UNIT = "prometheus-redis-exporter.service";
    static final String PACKAGE = "prometheus-redis-exporter";

    private Exporter() {
    }

    static List<Task> tasks(RedisHost h) {
        List<Task> out = new ArrayList<>();
        if (!h.v().bool("redis_exporter_enabled")) {
            out.add(new Skip("file " + DEFAULTS, TAG, "redis_exporter_enabled is false"));
            out.add(new UnitTask(UNIT, false, false, List.of(), List.of(), TAG));
            return out;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redis_cluster", h.cluster().name());
        m.put("ip", h.node().ip());
        m.put("args", args(h));
        m.put("redis_addr", "redis://" + h.cli(h.instances().get(0)).address());
        m.put("redis_password", h.password().reveal());
        out.add(h.ctx().file(DEFAULTS, "redis/redis-exporter.default.ftl", m, "0600", "root", "root", TAG, true));
        out.add(new UnitTask(UNIT, true, true, List.of(DEFAULTS), List.of(), TAG));
        return out;
    }

    static String args(RedisHost h) {
        List<String> a = new ArrayList<>();
        a.add("--web.listen-address=:" + h.v().integer("redis_exporter_port"));
        a.add("--include-system-metrics");
        if (!h.v().str("redis_exporter_options").isBlank()) {
            a.add(h.v().str("redis_exporter_options"));
        }
        return String.join(" ", a);
    }
}
