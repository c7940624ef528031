package dev.pig.modules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one instance publishes to the infra nodes, declared from the model alone by the module
 * that deploys it ({@link Registered}) and written by the module that keeps them
 * ({@link Registrar}, INFRA). Two instances declaring the same {@link #key()} share one entry: a
 * cluster's DNS name stays while any member of the cluster does.
 */
public sealed interface Registration permits Registration.Target, Registration.Probe, Registration.Dns {

    /** Identity on an infra node, also where the entry is kept: {@code targets/pgsql/pg-test-1}. */
    String key();

    /** The file name the entry is kept under, without directory or suffix: letters, digits, '.', '_' and '-'. */
    String name();

    /**
     * An exporter VictoriaMetrics scrapes, labelled as Pigsty does ({@code cls}, {@code ins},
     * {@code ip}) and with its {@code job}; kept in {@code /infra/targets/<job>/<name>.yml}.
     *
     * <pre>
     * - labels: { job: pgsql, cls: pg-test, ins: pg-test-1, ip: 10.10.10.11 }
     *   targets: [ 10.10.10.11:9630 ]
     * </pre>
     *
     * @param job     the {@code job} label, also the directory
     * @param name    the file name: the instance ({@code pg-test-1}), or the node's IP
     * @param labels  {@code cls}, {@code ins}, {@code ip} and any others, in order; the reserved
     *                {@code __scheme__} and {@code __param_<name>} labels set the scrape's scheme
     *                and query (an exporter that scrapes another address, as redis_exporter's
     *                {@code /scrape?target=})
     * @param address host:port of the exporter
     * @param path    the HTTP path of its metrics; empty for the scrape config's, {@code exporter_metrics_path}
     */
    record Target(String job, String name, Map<String, String> labels, String address, String path) implements Registration {
        public Target {
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            checkName(job);
            checkName(name);
        }

        /** A target labelled with the cluster, instance and IP it belongs to, scraped at the usual path. */
        public static Target of(String job, String name, String cls, String ins, String ip, int port) {
            return new Target(job, name, labelsOf(cls, ins, ip), ip + ":" + port, "");
        }

        @Override
        public String key() {
            return "targets/" + job + "/" + name;
        }
    }

    /**
     * An address the infra node's blackbox exporter probes ({@code icmp} for a VIP or a node,
     * {@code tcp} for a service port); kept like a target, in {@code /infra/targets/<job>/<name>.yml},
     * and scraped through the infra node's own blackbox exporter.
     *
     * @param job     {@code ping} for ICMP probes, {@code tcp} for TCP connects
     * @param name    the file name
     * @param labels  {@code cls}, {@code ins}, {@code ip} and any others
     * @param module  the blackbox module: {@code icmp} or {@code tcp_connect}
     * @param targets what is probed: an address, or address:port
     */
    record Probe(String job, String name, Map<String, String> labels, String module, List<String> targets) implements Registration {
        public Probe {
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            targets = List.copyOf(targets);
            checkName(job);
            checkName(name);
        }

        @Override
        public String key() {
            return "targets/" + job + "/" + name;
        }
    }

    /**
     * Names dnsmasq on the infra nodes answers with {@code ip}, kept in {@code /etc/hosts.d/<name>}.
     *
     * @param name  the file name: the cluster or the instance
     * @param ip    the address the names resolve to
     * @param names the host names
     */
    record Dns(String name, String ip, List<String> names) implements Registration {
        public Dns {
            names = List.copyOf(names);
            checkName(name);
        }

        @Override
        public String key() {
            return "hosts.d/" + name;
        }
    }

    /** {@code cls}, {@code ins}, {@code ip}, in Pigsty's order. */
    static Map<String, String> labelsOf(String cls, String ins, String ip) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cls", cls);
        m.put("ins", ins);
        m.put("ip", ip);
        return m;
    }

    private static void checkName(String s) {
        // names come from validated cluster and instance names and IPs; a path separator or a
        // dot file would put an entry where another one belongs
        if (!s.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("not a registration name: '" + s + "'");
        }
    }
}
