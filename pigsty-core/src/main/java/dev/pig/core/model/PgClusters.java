package dev.pig.core.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.pig.core.diag.Source;
import dev.pig.core.ext.ExtensionCatalog;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;

/**
 * Each PostgreSQL cluster of the inventory and Pigsty's rules for it: its identity (the
 * {@code pg_cluster} group, {@code pg_seq} and {@code pg_role} on each host, one primary, one
 * cluster per host), its replication topology ({@code pg_upstream}, {@code pg_delay}), settings
 * that must be the same on every instance, {@code pg_rto}, and its entries (users, databases,
 * HBA rules, services), each read beside its record.
 *
 * <pre>
 * pg-test:
 *   hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary }, 10.10.10.12: { pg_seq: 2, pg_role: replica } }
 *   vars:  { pg_cluster: pg-test }
 * </pre>
 */
final class PgClusters {
    private final BuildContext cx;
    /** Which group each host's PostgreSQL instance belongs to, across clusters. */
    private final Map<String, String> clusterOfHost = new HashMap<>();

    PgClusters(BuildContext cx) {
        this.cx = cx;
    }

    /** The cluster of a group whose vars set {@code pg_cluster}. */
    PgCluster read(Group g) {
        YNode nameNode = g.var("pg_cluster");
        String name = String.valueOf(nameNode.plain());
        cx.checkClusterName(name, nameNode.source());
        String first = cx.inv.members(g).stream().findFirst().orElse(null);
        List<PgInstance> instances = new ArrayList<>();
        Map<Integer, String> seen = new HashMap<>();
        // hosts meant as primaries, counted before a host in two clusters is left out, so one
        // error does not hide the other
        List<String> primaries = new ArrayList<>();
        for (String h : cx.inv.members(g)) {
            String other = clusterOfHost.putIfAbsent(h, g.name());
            if (other != null) {
                cx.diags.error("host " + h + " is in two PostgreSQL clusters: '" + other + "' and '" + g.name() + "'",
                        cx.hostSource(g, h), "A host runs one PostgreSQL instance; remove it from one of the two groups.");
                Var r = cx.var(h, "pg_role");
                if (r != null && "primary".equals(String.valueOf(r.value()))) {
                    primaries.add(h);
                }
                continue;
            }
            Optional<Integer> seq = cx.requiredSeq(h, "pg_seq", g, seen);
            Var roleVar = cx.var(h, "pg_role");
            Source hostSrc = cx.hostSource(g, h);
            PgRole role = null;
            if (roleVar == null) {
                cx.diags.error("host " + h + " in PostgreSQL cluster '" + name + "' has no 'pg_role'", hostSrc,
                        "Set 'pg_role: primary' on one host and 'pg_role: replica' (or offline) on the others.");
            } else {
                String r = String.valueOf(roleVar.value());
                try {
                    role = PgRole.valueOf(r.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    role = null; // reported by the parameter's type check
                }
            }
            if (seq.isEmpty() || role == null) {
                continue;
            }
            Optional<String> upstream = Optional.ofNullable(cx.value(h, "pg_upstream")).map(String::valueOf);
            upstream.ifPresent(u -> {
                if (!Net.isIp(u) && !u.contains("{{")) {
                    cx.diags.error("pg_upstream '" + u + "' on host " + h + " is not an IP address",
                            cx.sourceOf(h, "pg_upstream", hostSrc), "Set it to the IP of the instance to replicate from.");
                }
            });
            PgInstance inst = new PgInstance(name, seq.get(), role, h, name + "-" + seq.get(),
                    name + "-" + role.value(), upstream, cx.bool(h, "pg_offline_query"),
                    cx.integer(h, "pg_weight"), cx.integer(h, "pg_port"));
            instances.add(inst);
            BackupRepo.checkReplicaMethods(cx, h);
            if (role == PgRole.PRIMARY) {
                primaries.add(h);
            }
        }
        if (primaries.isEmpty() && !instances.isEmpty()) {
            cx.diags.error("PostgreSQL cluster '" + name + "' has no primary", g.source(),
                    "Set 'pg_role: primary' on exactly one of its hosts.");
        } else if (primaries.size() > 1) {
            String second = primaries.get(1);
            cx.diags.error("PostgreSQL cluster '" + name + "' has " + primaries.size() + " primaries: "
                            + String.join(", ", primaries),
                    primarySource(g, second),
                    "Exactly one host of a cluster is the primary; make the others 'replica'.");
        }
        if (cx.inv.members(g).isEmpty()) {
            cx.diags.error("PostgreSQL cluster '" + name + "' has no hosts", g.source(), "Add its hosts under 'hosts:'.");
        }
        checkReplication(name, g, instances);
        checkClusterWide(name, g, instances);
        instances.sort(Comparator.comparingInt(PgInstance::seq));
        if (first == null) {
            return new PgCluster(name, g.name(), 0, List.copyOf(instances), List.of(), List.of(), List.of(), List.of(),
                    List.of(), Optional.empty());
        }
        // cluster-level parameters are read on the first host, as Pigsty's templates read them
        String h = first;
        checkRto(h, g);
        BackupRepo.check(cx, h, name, g.source());
        List<PgUser> users = PgUser.read(cx, h, "pg_users");
        List<PgDatabase> dbs = PgDatabase.read(cx, h);
        checkDefaultPrivileges(h);
        checkExtensionNames(h);
        List<HbaRule> hba = new ArrayList<>(HbaRule.read(cx, h, "pg_default_hba_rules"));
        hba.addAll(HbaRule.read(cx, h, "pg_hba_rules"));
        List<HbaRule> pgbHba = new ArrayList<>(HbaRule.read(cx, h, "pgb_default_hba_rules"));
        pgbHba.addAll(HbaRule.read(cx, h, "pgb_hba_rules"));
        List<PgService> services = new ArrayList<>(PgService.read(cx, h, "pg_default_services"));
        services.addAll(PgService.read(cx, h, "pg_services"));
        boolean vipEnabled = cx.bool(h, "pg_vip_enabled");
        Optional<String> vip = vipEnabled ? Optional.ofNullable(cx.value(h, "pg_vip_address")).map(String::valueOf) : Optional.empty();
        if (vipEnabled && vip.isEmpty()) {
            cx.diags.error("pg_vip_enabled is true for cluster '" + name + "' but pg_vip_address is not set",
                    cx.sourceOf(h, "pg_vip_enabled", g.source()), "Set pg_vip_address to an address with prefix length, like 10.10.10.3/24.");
        }
        return new PgCluster(name, g.name(), cx.integer(h, "pg_version"), List.copyOf(instances), users, dbs, List.copyOf(hba),
                List.copyOf(pgbHba), List.copyOf(services), vip);
    }

    /**
     * Where a host of a group says {@code pg_role: primary}: in the group's own entry for the host
     * when it is there (a host in two clusters resolves one role for both), else where it resolved.
     */
    private Source primarySource(Group g, String host) {
        YNode.Map own = g.hostVars().get(host);
        if (own != null && own.entries().get("pg_role") != null) {
            return own.entries().get("pg_role").keySource();
        }
        return cx.sourceOf(host, "pg_role", g.source());
    }

    /**
     * Pigsty's replication topology: {@code pg_upstream} on a primary names another cluster's
     * primary (this cluster is a standby cluster), on a replica another member of the same cluster
     * (it cascades); {@code pg_delay} delays a standby cluster's leader or a {@code delayed} instance.
     */
    private void checkReplication(String cluster, Group g, List<PgInstance> instances) {
        Map<String, PgInstance> byIp = new LinkedHashMap<>();
        instances.forEach(i -> byIp.put(i.ip(), i));
        for (PgInstance i : instances) {
            Source hostSrc = cx.hostSource(g, i.ip());
            Optional<String> up = i.upstream().filter(Net::isIp);
            if (up.isPresent()) {
                String u = up.get();
                Source src = cx.sourceOf(i.ip(), "pg_upstream", hostSrc);
                if (u.equals(i.ip())) {
                    cx.diags.error("pg_upstream of host " + i.ip() + " is the host itself", src,
                            "On a primary, pg_upstream names the primary of the cluster to follow (a standby cluster);\n"
                                    + "on a replica, another member of its cluster to cascade from.");
                } else if (i.role() == PgRole.PRIMARY && byIp.containsKey(u)) {
                    cx.diags.error("pg_upstream " + u + " on the primary of '" + cluster + "' is one of its own instances", src,
                            "On a primary, pg_upstream makes a standby cluster of another cluster: set it to that cluster's primary.\n"
                                    + "To cascade a replica from " + u + ", set pg_upstream on the replica instead.");
                } else if (i.role() != PgRole.PRIMARY && !byIp.containsKey(u)) {
                    List<String> others = byIp.keySet().stream().filter(ip -> !ip.equals(i.ip())).toList();
                    cx.diags.error("pg_upstream " + u + " on replica " + i.ip() + " is not an instance of '" + cluster + "'", src,
                            "A replica cascades from another member of its own cluster"
                                    + (others.isEmpty() ? "." : ": use one of " + String.join(", ", others) + "."));
                }
            }
            Object delay = cx.value(i.ip(), "pg_delay");
            boolean delayed = delay != null && !String.valueOf(delay).isBlank() && !String.valueOf(delay).trim().matches("0+");
            boolean standbyLeader = i.role() == PgRole.PRIMARY && i.upstream().isPresent();
            if (delayed && !standbyLeader && i.role() != PgRole.DELAYED) {
                cx.diags.warning("pg_delay on host " + i.ip() + " (" + i.role().value() + ") has no effect",
                        cx.sourceOf(i.ip(), "pg_delay", hostSrc),
                        "pg_delay delays the primary of a standby cluster (with pg_upstream) or an instance with 'pg_role: delayed'.");
            }
            if (!delayed && i.role() == PgRole.DELAYED) {
                cx.diags.warning("host " + i.ip() + " has 'pg_role: delayed' but no pg_delay: it applies WAL without delay",
                        cx.sourceOf(i.ip(), "pg_role", hostSrc), "Set pg_delay on it, like 'pg_delay: 1h'.");
            }
        }
    }

    /**
     * Settings Patroni keeps cluster-wide ({@link PatroniSettings#CLUSTER_WIDE}) cannot differ
     * between instances: the leader's would win, and change again with each switchover.
     */
    private void checkClusterWide(String cluster, Group g, List<PgInstance> instances) {
        if (instances.size() < 2) {
            return;
        }
        PgInstance first = instances.get(0);
        Map<?, ?> base = cx.value(first.ip(), "pg_parameters") instanceof Map<?, ?> m ? m : Map.of();
        for (PgInstance i : instances.subList(1, instances.size())) {
            Map<?, ?> mine = cx.value(i.ip(), "pg_parameters") instanceof Map<?, ?> m ? m : Map.of();
            for (String k : new TreeSet<>(PatroniSettings.CLUSTER_WIDE)) {
                Object a = base.get(k);
                Object b = mine.get(k);
                if (!String.valueOf(a).equals(String.valueOf(b))) {
                    cx.diags.error("pg_parameters." + k + " is " + (b == null ? "not set" : "'" + b + "'") + " on " + i.ip()
                                    + " but " + (a == null ? "not set" : "'" + a + "'") + " on " + first.ip(),
                            cx.sourceOf(i.ip(), "pg_parameters", cx.hostSource(g, i.ip())),
                            k + " is cluster-wide: Patroni keeps it in the DCS for every instance of '" + cluster
                                    + "'. Set it once, in the cluster's vars.");
                }
            }
        }
    }

    /** {@code pg_rto}: a mode or seconds, whose row of {@code pg_rto_plan} has the ten values Patroni and HAProxy take. */
    private void checkRto(String h, Group g) {
        Object rto = cx.value(h, "pg_rto");
        Optional<RtoMode> mode = RtoMode.of(rto);
        List<String> modes = java.util.Arrays.stream(RtoMode.values()).map(RtoMode::key).toList();
        if (mode.isEmpty()) {
            cx.diags.error("pg_rto '" + rto + "' is neither a recovery mode nor seconds", cx.sourceOf(h, "pg_rto", g.source()),
                    "Write one of " + String.join(", ", modes) + " (Pigsty's modes), or the seconds to recover in, like 'pg_rto: 30'.");
            return;
        }
        if (cx.value(h, "pg_rto_plan") instanceof Map<?, ?> plan
                && (!(plan.get(mode.get().key()) instanceof List<?> row) || row.size() != 10)) {
            cx.diags.error("pg_rto_plan has no row of 10 values for mode '" + mode.get().key() + "' (pg_rto: " + rto + ")",
                    cx.sourceOf(h, "pg_rto_plan", g.source()),
                    "Give it a row [ttl, loop, retry, start, margin, inter, fastinter, downinter, rise, fall],"
                            + " like norm: [ 24, 4, 10, 25, 5, '2s', '0.5s', '0.5s', 2, 3 ].");
            return;
        }
        if (cx.value(h, "pg_rto_plan") instanceof Map<?, ?> plan && plan.get(mode.get().key()) instanceof List<?> row) {
            for (int i = 5; i <= 7; i++) {
                if (!String.valueOf(row.get(i)).strip().matches("\\d+(\\.\\d+)?(us|ms|s|m|h|d)?")) {
                    cx.diags.error("pg_rto_plan's row '" + mode.get().key() + "' has '" + row.get(i) + "' as HAProxy's "
                                    + List.of("inter", "fastinter", "downinter").get(i - 5) + ", which is not a time",
                            cx.sourceOf(h, "pg_rto_plan", g.source()), "Write a number with us, ms, s, m, h or d, like '2s' or '500ms'.");
                }
            }
        }
    }

    /** Each entry of {@code pg_default_privileges} must be a GRANT pig can compare with the catalog. */
    private void checkDefaultPrivileges(String host) {
        for (YNode.Scalar item : cx.writtenItems(host, "pg_default_privileges")) {
            try {
                DefaultPrivilege.parse(String.valueOf(item.value()));
            } catch (IllegalArgumentException e) {
                cx.diags.error("pg_default_privileges entry '" + item.value() + "' is not a grant pig can apply: " + e.getMessage(),
                        item.source(), "Write each entry as Pigsty does, e.g. 'GRANT SELECT ON TABLES TO dbrole_readonly';"
                                + " pig runs it as ALTER DEFAULT PRIVILEGES FOR ROLE <creator> <entry>.");
            }
        }
    }

    /** Each name of {@code pg_extensions} (an item may hold several, "a, b") is one pig knows. */
    private void checkExtensionNames(String host) {
        for (YNode.Scalar item : cx.writtenItems(host, "pg_extensions")) {
            for (String name : ExtensionCatalog.names(List.of(String.valueOf(item.value())))) {
                cx.checkExtensionName(name, item.source());
            }
        }
    }

    /**
     * Names one PostgreSQL cluster and an instance of another cannot share: each is a name the
     * infra nodes resolve, the common name of a certificate pig issues, and a cluster's name is
     * also its etcd user, which etcd would take from a certificate of that name.
     */
    static void checkNames(BuildContext cx, List<PgCluster> clusters) {
        java.util.Set<String> names = new java.util.HashSet<>();
        clusters.forEach(c -> names.add(c.name()));
        for (PgCluster c : clusters) {
            for (PgInstance i : c.instances()) {
                if (names.contains(i.name()) && !i.name().equals(c.name())) {
                    cx.diags.error("instance " + i.name() + " of PostgreSQL cluster '" + c.name() + "' has the name of cluster '" + i.name() + "'",
                            cx.hostSource(cx.inv.groups().get(c.group()), i.ip()),
                            "A cluster's name and an instance's are both DNS names, certificate names and (the cluster's) an etcd\n"
                                    + "user: rename the cluster, or give the instance another pg_seq.");
                }
            }
        }
    }
}
