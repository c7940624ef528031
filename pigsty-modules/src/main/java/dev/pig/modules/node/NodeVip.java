package dev.pig.modules.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.model.Net;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.task.Absent;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.HostVars;
import dev.pig.modules.Keepalived;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Registration;

/**
 * The node cluster's L2 VIP ({@code vip_enabled}, Pigsty's NODE_VIP): keepalived on every host
 * that sets the same {@code vip_address}, usually a node cluster, the master
 * ({@code vip_role}) holding the address while it runs. The VIP is named after the node cluster
 * of its first host in the inventory.
 *
 * <pre>
 * proxy:
 *   hosts: { 10.10.10.18: { vip_role: master }, 10.10.10.19: {} }
 *   vars: { vip_enabled: true, vip_address: 10.10.10.20, vip_vrid: 20, vip_auth_pass: S3cret.1 }
 * </pre>
 *
 * VRRPv2 with 1 s adverts and a password ({@code vip_auth_pass}, else {@code <cluster>-<vrid>}
 * of that first host, so every member derives the same),
 * sent by unicast to the other members, whose addresses alone are accepted. VRRP carries the
 * password in clear: it keeps apart clusters that share a router id or a segment by mistake,
 * not a host that listens on the segment. Without {@code vip_preempt} a member that comes back
 * does not take the address back from the one holding it.
 */
final class NodeVip {
    static final String TAG = "node_vip";
    static final String CONF = Keepalived.CONF_D + "/node-vip.conf";
    static final int MASTER_PRIORITY = 100;
    static final int BACKUP_PRIORITY = 50;

    private NodeVip() {
    }

    static List<Task> tasks(ModuleContext ctx, Node node, HostVars v) {
        if (!v.bool("vip_enabled")) {
            // turned off: what an earlier run wrote goes, keepalived stays for a PostgreSQL VIP
            return Keepalived.retire(CONF, pgVip(ctx, node), TAG);
        }
        List<Node> group = members(ctx, node, v);
        List<String> members = group.stream().map(NodeVip::address).toList();
        String me = address(node);
        boolean unicast = members.stream().allMatch(Net::isIp);
        boolean master = v.str("vip_role").equals("master");
        boolean preempt = v.bool("vip_preempt");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_cluster", group.get(0).nodeCluster());
        m.put("nodename", node.nodename().isEmpty() ? node.id() : node.nodename());
        m.put("vip_address", v.str("vip_address"));
        m.put("vip_vrid", v.integer("vip_vrid"));
        m.put("vip_interface", v.str("vip_interface"));
        // nopreempt works only from BACKUP: every member starts there, and the priority names the master
        m.put("state", preempt && master ? "MASTER" : "BACKUP");
        m.put("priority", master ? MASTER_PRIORITY : BACKUP_PRIORITY);
        m.put("vip_preempt", preempt);
        m.put("auth_pass", password(group.get(0), v));
        m.put("instance_ip", unicast ? me : "");
        m.put("peers", unicast ? members.stream().filter(ip -> !ip.equals(me)).toList() : List.of());
        // the password is in it: root's alone, and no diff shown
        return Keepalived.tasks(ctx, node, CONF, ctx.file(CONF, "node/keepalived-vip.conf.ftl", m, "0600", "root", "root", TAG, true), TAG);
    }

    /**
     * {@code vip_auth_pass}, else Pigsty's {@code <cluster>-<vrid>} of the VIP's first host; its
     * first 8 characters, all that VRRP carries (keepalived would cut it and warn).
     */
    static String password(Node first, HostVars v) {
        String pass = v.secret("vip_auth_pass").reveal();
        String full = pass.isEmpty() ? first.nodeCluster() + "-" + v.integer("vip_vrid") : pass;
        return full.substring(0, Math.min(8, full.length()));
    }

    /** The hosts that hold this host's VIP, in inventory order: those that set the same vip_address. */
    static List<Node> members(ModuleContext ctx, Node node, HostVars v) {
        String vip = v.str("vip_address");
        return ctx.model().nodes().stream()
                .filter(n -> ctx.vars(n).bool("vip_enabled") && ctx.vars(n).str("vip_address").equals(vip))
                .toList();
    }

    private static String address(Node n) {
        return Net.isIp(n.id()) ? n.id() : n.address();
    }

    /**
     * What {@code pig node rm} undoes: the node VIP's file, and keepalived with it unless it
     * still holds a PostgreSQL VIP of this host (then it reloads and keeps that one).
     */
    static List<Task> removal(ModuleContext ctx, Node node, HostVars v) {
        if (!v.bool("vip_enabled")) {
            return List.of();
        }
        if (pgVip(ctx, node)) {
            return List.of(new Absent(CONF, TAG), Keepalived.unit(CONF, TAG));
        }
        return List.of(new UnitTask(Keepalived.UNIT, false, false, List.of(), List.of(), TAG), new Absent(CONF, TAG),
                new Absent(Keepalived.CONF, TAG));
    }

    /** Whether a PostgreSQL cluster of the inventory has its VIP on this host. */
    static boolean pgVip(ModuleContext ctx, Node node) {
        return ctx.model().pgClusters().stream()
                .anyMatch(c -> c.vipAddress().isPresent() && c.instances().stream().anyMatch(i -> i.ip().equals(node.id())));
    }

    /**
     * The VIP on the infra nodes: an ICMP probe (job {@code ping}) and its DNS name,
     * {@code <node_cluster><vip_dns_suffix>}, unless a PostgreSQL cluster or instance has that
     * name already (Pigsty's own inventories put a node VIP on a PostgreSQL cluster's nodes,
     * whose name stays the cluster's).
     */
    static List<Registration> registrations(ModuleContext ctx, Node node, HostVars v) {
        if (!v.bool("vip_enabled") || v.str("vip_address").isEmpty()) {
            return List.of();
        }
        String cls = members(ctx, node, v).get(0).nodeCluster();
        String vip = v.str("vip_address");
        String key = cls + ".vip";
        List<Registration> out = new ArrayList<>();
        out.add(new Registration.Probe("ping", key, Registration.labelsOf(cls, key, vip), "icmp", List.of(vip)));
        String name = cls + v.str("vip_dns_suffix");
        if (!pgNames(ctx).contains(name)) {
            out.add(new Registration.Dns(key, vip, List.of(name)));
        }
        return out;
    }

    private static List<String> pgNames(ModuleContext ctx) {
        List<String> out = new ArrayList<>();
        for (PgCluster c : ctx.model().pgClusters()) {
            out.add(c.name());
            c.instances().forEach(i -> {
                out.add(i.name());
                ctx.model().node(i.ip()).ifPresent(n -> out.add(c.name() + ctx.vars(n).str("pg_dns_suffix")));
            });
        }
        return out;
    }
}
