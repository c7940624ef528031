package dev.pig.modules.pgsql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.PatroniSettings;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgRole;
import dev.pig.modules.HostVars;

/**
 * The data of {@code templates/pgsql/patroni.yml.ftl}, under Pigsty's parameter names: a value
 * the inventory sets has the parameter's name ({@code pg_data}, {@code pg_localhost},
 * {@code pg_hba_rules}); a value pig derives has a name of its own that says so
 * ({@code instance_ip}, {@code etcd_endpoints}, {@code dcs}). {@link #of} takes what the
 * inventory says; {@link #tuned} adds what follows from the node's CPUs and memory.
 *
 * @param pg_hba_rules     {@code pg_default_hba_rules} and {@code pg_hba_rules} of this instance, as pg_hba lines
 * @param pg_listen        {@code pg_listen} with its placeholders filled in
 * @param pg_rto           the {@code pg_rto_plan} row of {@code pg_rto}
 * @param patroni_ssl_enabled the REST API over TLS with the instance's certificate
 * @param etcd_tls         etcd over https, Patroni presenting the instance's certificate
 * @param pg_rpo           {@code pg_rpo}: Patroni's {@code maximum_lag_on_failover}
 * @param sync_mode        synchronous replication: {@code pg_rpo: 0} or a {@code crit} profile
 * @param patroni_replica_methods Patroni's {@code create_replica_methods}
 * @param pgbackrest_restore the command of the {@code pgbackrest} replica method
 * @param recovery_conf    {@code recovery_min_apply_delay} of a delayed replica, else empty
 * @param standby_cluster  {@code standby_cluster} of a standby cluster's members, else null
 * @param profile          the tuning profile of {@code pg_conf}; null until {@link #tuned}
 * @param dcs              {@code bootstrap.dcs}; null until {@link #tuned}
 * @param instance_parameters the PostgreSQL settings of this instance alone; null until {@link #tuned}
 */
public record PatroniYml(String pg_cluster, String pg_instance, String instance_ip, String pg_namespace,
                         int patroni_port, String patroni_log_dir, String patroni_username, String patroni_password,
                         boolean patroni_ssl_enabled, String patroni_watchdog_mode, String etcd_endpoints, boolean etcd_tls, String etcd_username, String pg_etcd_password,
                         RtoPlan pg_rto, long pg_rpo, boolean sync_mode,
                         String pg_encoding, String pg_locale, String pg_lc_collate, String pg_lc_ctype, boolean pg_checksum,
                         String pg_listen, int pg_port, String pg_data, String pg_bin_dir, String pg_dbsu, String pgpass_file,
                         String pg_replication_username, String pg_replication_password, String pg_localhost,
                         String pg_pwd_enc, String pg_libs, String pg_log_dir, String archive_command, String role_change_callback,
                         List<String> pg_hba_rules, boolean nofailover, boolean noloadbalance, boolean clonefrom, boolean nosync,
                         String replicatefrom, List<String> patroni_replica_methods, String pgbackrest_restore,
                         Map<String, Object> recovery_conf, Map<String, Object> standby_cluster,
                         String profile, int node_cpu, long node_mem_mb, Map<String, Object> dcs,
                         Map<String, Object> instance_parameters) {

    /** What the inventory says of {@code n}'s patroni.yml, before tuning. */
    static PatroniYml of(PgNode n) {
        HostVars v = n.v();
        PgInstance me = n.me();
        int rpo = v.integer("pg_rpo");
        boolean offline = me.role() == PgRole.OFFLINE;
        Map<String, Object> recovery = new LinkedHashMap<>();
        if (me.role() == PgRole.DELAYED) {
            Durations.pg(v.raw("pg_delay")).ifPresent(d -> recovery.put("recovery_min_apply_delay", d));
        }
        String namespace = v.str("pg_namespace");
        return new PatroniYml(n.cluster().name(), me.name(), me.ip(), namespace.endsWith("/") ? namespace : namespace + "/",
                v.integer("patroni_port"), v.str("patroni_log_dir"), v.str("patroni_username"), v.str("patroni_password"),
                v.bool("patroni_ssl_enabled"), v.str("patroni_watchdog_mode"),
                String.join(",", n.ctx().model().etcd().map(e -> e.members().stream().map(x -> x.ip() + ":" + x.port()).toList())
                        .orElse(List.of())), v.bool("etcd_tls"),
                DcsUser.name(n.cluster()), DcsUser.password(v, n.cluster()).reveal(),
                RtoPlan.of(v), rpo, rpo == 0 || v.str("pg_conf").startsWith("crit"),
                v.str("pg_encoding"), v.str("pg_locale"), v.str("pg_lc_collate"), v.str("pg_lc_ctype"), v.bool("pg_checksum"),
                n.listen(), me.port(), v.str("pg_data"), PgPackages.binDir(v.integer("pg_version")), v.str("pg_dbsu"),
                v.str("pg_dbsu_home") + "/.pgpass", v.str("pg_replication_username"), v.str("pg_replication_password"),
                v.str("pg_localhost"), v.str("pg_pwd_enc"), v.str("pg_libs"), v.str("pg_log_dir"), Backup.archiveCommand(n),
                Backup.roleChangeCallback(v), Hba.render(n.cluster().hbaRules(), me, n.hbaAliases()),
                offline || me.role() == PgRole.DELAYED, offline, me.role() != PgRole.OFFLINE, offline || me.offlineQuery(),
                // pg_upstream on a replica: cascade from that member (Patroni names it, not its address)
                me.role() == PgRole.PRIMARY ? "" : me.upstream().flatMap(n.cluster()::instance).map(PgInstance::name).orElse(""),
                replicaMethods(v), Backup.replicaRestore(n), recovery, standbyCluster(n).orElse(null), null, 0, 0, null, null);
    }

    /** The same file with Patroni on etcd over https or plain http, as the run leaves etcd. */
    PatroniYml withEtcdTls(boolean tls) {
        return new PatroniYml(pg_cluster, pg_instance, instance_ip, pg_namespace, patroni_port, patroni_log_dir, patroni_username, patroni_password, patroni_ssl_enabled, patroni_watchdog_mode, etcd_endpoints, tls, etcd_username, pg_etcd_password, pg_rto, pg_rpo, sync_mode, pg_encoding, pg_locale, pg_lc_collate, pg_lc_ctype, pg_checksum, pg_listen, pg_port, pg_data, pg_bin_dir, pg_dbsu, pgpass_file, pg_replication_username, pg_replication_password, pg_localhost, pg_pwd_enc, pg_libs, pg_log_dir, archive_command, role_change_callback, pg_hba_rules, nofailover, noloadbalance, clonefrom, nosync, replicatefrom, patroni_replica_methods, pgbackrest_restore, recovery_conf, standby_cluster, profile, node_cpu, node_mem_mb, dcs, instance_parameters);
    }

    /** Tuned for the node its facts describe: its CPUs and memory. */
    PatroniYml tuned(HostFacts facts, HostVars v) {
        long memMb = facts.memory().totalKb() / 1024;
        PgTune tune = PgTune.of(v.str("pg_conf"), v.raw("pg_max_conn"), v.str("pg_default_service_dest"),
                v.number("pg_shared_buffer_ratio"), memMb, facts.cpus(), v.str("pg_storage_type"));
        return tuned(tune, memMb, facts.cpus(), v.dict("pg_parameters"));
    }

    /**
     * Tuned with {@code tune}: {@code pg_parameters} win over the profile, a cluster-wide setting
     * ({@link PatroniSettings#CLUSTER_WIDE}) in the DCS config, any other in the instance's own
     * parameters, since Patroni ignores cluster-wide ones there.
     */
    PatroniYml tuned(PgTune tune, long memMb, int cpus, Map<String, Object> pgParameters) {
        Map<String, Object> global = new LinkedHashMap<>(tune.global());
        Map<String, Object> local = new LinkedHashMap<>(tune.local());
        pgParameters.forEach((k, x) -> {
            Object value = x instanceof Number || x instanceof Boolean ? x : String.valueOf(x);
            if (global.containsKey(k) || PatroniSettings.CLUSTER_WIDE.contains(k)) {
                global.put(k, value);
            } else {
                local.put(k, value);
            }
        });
        Map<String, Object> dcs = DcsConfig.desired(pg_rto, pg_rpo, sync_mode, global, Optional.ofNullable(standby_cluster));
        return new PatroniYml(pg_cluster, pg_instance, instance_ip, pg_namespace, patroni_port, patroni_log_dir, patroni_username,
                patroni_password, patroni_ssl_enabled, patroni_watchdog_mode, etcd_endpoints, etcd_tls, etcd_username, pg_etcd_password, pg_rto, pg_rpo, sync_mode,
                pg_encoding, pg_locale, pg_lc_collate, pg_lc_ctype, pg_checksum, pg_listen, pg_port, pg_data, pg_bin_dir, pg_dbsu,
                pgpass_file, pg_replication_username, pg_replication_password, pg_localhost, pg_pwd_enc, pg_libs, pg_log_dir,
                archive_command, role_change_callback, pg_hba_rules, nofailover, noloadbalance, clonefrom, nosync, replicatefrom,
                patroni_replica_methods, pgbackrest_restore, recovery_conf, standby_cluster, tune.profile(), cpus, memMb, dcs, local);
    }

    /**
     * Tuned cluster-wide settings that follow the shape of one node: kept as the node that created
     * the cluster set them, unless {@code pg_parameters} names them.
     */
    static Set<String> bootstrapOnly(HostVars v) {
        return v.dict("pg_parameters").containsKey("max_worker_processes") ? Set.of()
                : Set.of(DcsConfig.PARAMETERS + "max_worker_processes");
    }

    /** {@code patroni_replica_methods}, without pgbackrest where the cluster has no backups to restore from. */
    static List<String> replicaMethods(HostVars v) {
        List<String> out = new java.util.ArrayList<>(v.strings("patroni_replica_methods"));
        if (!v.bool("pgbackrest_enabled")) {
            out.remove("pgbackrest");
        }
        if (out.isEmpty()) {
            out.add("basebackup");
        }
        return List.copyOf(out);
    }

    /**
     * {@code standby_cluster} of a cluster whose primary has {@code pg_upstream}: its leader
     * replicates from that address (another cluster's primary), delayed by the primary's
     * {@code pg_delay}. Empty for a primary cluster.
     */
    static Optional<Map<String, Object>> standbyCluster(PgNode n) {
        Optional<PgInstance> primary = n.cluster().primary();
        if (primary.isEmpty() || primary.get().upstream().isEmpty()) {
            return Optional.empty();
        }
        HostVars pv = n.ctx().vars(n.ctx().model().node(primary.get().ip()).orElseThrow());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", primary.get().upstream().get());
        s.put("port", primary.get().port());
        Durations.pg(pv.raw("pg_delay")).ifPresent(d -> s.put("recovery_min_apply_delay", d));
        s.put("create_replica_methods", replicaMethods(pv));
        return Optional.of(s);
    }
}
