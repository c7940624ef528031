package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of Patroni's dynamic configuration pig manages: what {@code bootstrap.dcs} of
 * patroni.yml writes when Patroni creates the cluster, and what a running cluster is brought to
 * with {@code PATCH /config}, since Patroni reads {@code bootstrap.dcs} only once.
 *
 * <pre>
 * pg_rto: norm             # ttl 30, loop_wait 5, retry_timeout 10, primary_start_timeout 25
 * pg_rpo: 1048576          # maximum_lag_on_failover; 0 (or pg_conf crit) turns synchronous_mode on
 * pg_max_conn: 600         # postgresql.parameters.max_connections
 * pg_parameters: { max_wal_senders: 20 }   # any cluster-wide setting, over the tuned one
 * </pre>
 *
 * Keys are paths like {@code ttl} or {@code postgresql.parameters.max_connections}.
 */
public final class DcsConfig {
    /** Where PostgreSQL settings live in the config. */
    public static final String PARAMETERS = "postgresql.parameters.";
    static final String STANDBY = "standby_cluster";

    private DcsConfig() {
    }

    /**
     * The config as patroni.yml renders it under {@code bootstrap.dcs}, in that order.
     *
     * @param global  the cluster-wide PostgreSQL settings
     * @param standby {@code standby_cluster} when the cluster follows another one
     */
    public static Map<String, Object> desired(RtoPlan rto, long maxLag, boolean sync, Map<String, Object> global,
                                              Optional<Map<String, Object>> standby) {
        Map<String, Object> m = new LinkedHashMap<>();
        standby.ifPresent(s -> m.put(STANDBY, s));
        m.put("ttl", rto.ttl());
        m.put("loop_wait", rto.loopWait());
        m.put("retry_timeout", rto.retryTimeout());
        m.put("primary_start_timeout", rto.primaryStartTimeout());
        m.put("maximum_lag_on_failover", maxLag);
        m.put("synchronous_mode", sync);
        m.put("synchronous_mode_strict", false);
        m.put("failsafe_mode", true);
        Map<String, Object> pg = new LinkedHashMap<>();
        pg.put("use_pg_rewind", true);
        pg.put("use_slots", true);
        pg.put("parameters", new LinkedHashMap<>(global));
        m.put("postgresql", pg);
        return m;
    }

    /** One setting that differs: {@code from} is null when the live config lacks it. */
    public record Delta(String key, Object from, Object to) {
        /** The setting's own name: {@code max_connections}, {@code ttl}, {@code standby_cluster.host}. */
        public String name() {
            return key.startsWith(PARAMETERS) ? key.substring(PARAMETERS.length()) : key;
        }

        public boolean isParameter() {
            return key.startsWith(PARAMETERS);
        }

        @Override
        public String toString() {
            return name() + " " + (from == null ? "(unset)" : show(from)) + " -> " + show(to);
        }
    }

    /**
     * What differs between the desired and the live config, desired keys only (a key someone set
     * by hand and pig does not manage is left alone), in the desired order.
     *
     * @param bootstrapOnly keys whose desired value is not enforced on a running cluster
     */
    public static List<Delta> diff(Map<String, Object> desired, Map<String, Object> live, Set<String> bootstrapOnly) {
        Map<String, Object> want = flatten(desired);
        Map<String, Object> have = flatten(live);
        List<Delta> out = new ArrayList<>();
        want.forEach((k, v) -> {
            if (bootstrapOnly.contains(k) || k.startsWith(STANDBY + ".") && !live.containsKey(STANDBY)) {
                return;
            }
            Object now = have.get(k);
            if (now == null || !same(now, v)) {
                out.add(new Delta(k, now, v));
            }
        });
        return out;
    }

    /**
     * Why {@code standby_cluster} is left as it is, or empty: turning a running cluster into a
     * standby cluster, or a standby cluster into a primary one, is not a config change pig makes.
     */
    public static Optional<String> standbyMismatch(Map<String, Object> desired, Map<String, Object> live, String cluster) {
        boolean want = desired.containsKey(STANDBY);
        boolean have = live.get(STANDBY) instanceof Map<?, ?> m && !m.isEmpty();
        if (want == have) {
            return Optional.empty();
        }
        return Optional.of(want
                ? cluster + " runs as a primary cluster (promoted) though its primary has pg_upstream: pig does not make a running"
                + " cluster follow another; remove pg_upstream from the inventory, or re-create the cluster to follow its upstream again"
                : cluster + " runs as a standby cluster though its primary has no pg_upstream: pig does not promote it because"
                + " pg_upstream is gone; promote it with 'pig pgsql promote " + cluster + "'");
    }

    /** The JSON body of {@code PATCH /config} that sets {@code deltas}. */
    public static Map<String, Object> patch(List<Delta> deltas) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Delta d : deltas) {
            String[] parts = d.key().split("\\.");
            Map<String, Object> at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                at = next;
            }
            at.put(parts[parts.length - 1], d.to());
        }
        return root;
    }

    static Map<String, Object> flatten(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", m, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> m, Map<String, Object> out) {
        m.forEach((k, v) -> {
            String key = prefix + k;
            if (v instanceof Map<?, ?> sub) {
                flatten(key + ".", sub, out);
            } else if (v != null) {
                out.put(key, v);
            }
        });
    }

    /**
     * Equal as PostgreSQL and Patroni read them: {@code 500} and {@code '500'}, {@code true} and
     * {@code on}, {@code 1.0} and {@code 1}. Values with units are compared as written.
     */
    static boolean same(Object a, Object b) {
        return canonical(a).equals(canonical(b));
    }

    private static String canonical(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(DcsConfig::canonical).toList().toString();
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "true", "on", "yes" -> {
                return "on";
            }
            case "false", "off", "no" -> {
                return "off";
            }
            default -> {
            }
        }
        if (s.matches("-?\\d+(\\.\\d+)?")) {
            return new java.math.BigDecimal(s).stripTrailingZeros().toPlainString();
        }
        return s;
    }

    static String show(Object v) {
        return v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
    }
}
