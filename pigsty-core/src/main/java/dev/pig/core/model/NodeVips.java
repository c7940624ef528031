package dev.pig.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.diag.Source;

/**
 * The node VIPs of an inventory ({@code vip_enabled}): the hosts that set one
 * {@code vip_address} and {@code vip_vrid} hold that address between them, by VRRP. They are
 * usually a node cluster; Pigsty's own inventories also set one on a group that spans several
 * (a MinIO group whose hosts belong to two PostgreSQL clusters).
 *
 * <pre>
 * proxy:
 *   hosts: { 10.10.10.18: { vip_role: master }, 10.10.10.19: {} }
 *   vars: { vip_enabled: true, vip_address: 10.10.10.20, vip_vrid: 20 }
 * </pre>
 *
 * Checked here, before any host is touched: the address and router id are set; one address
 * goes with one router id; a router id is no PostgreSQL VIP's too (whose router id is the last
 * octet of {@code pg_vip_address}), since they may share a segment; the members that set a
 * password set the same one.
 */
final class NodeVips {
    private record Vip(String address, int vrid, String host) {
    }

    private NodeVips() {
    }

    static void check(BuildContext cx, List<Node> nodes, List<PgCluster> pg) {
        Map<String, Vip> byAddress = new LinkedHashMap<>();
        Map<Integer, Vip> byVrid = new LinkedHashMap<>();
        Map<String, String> passwords = new LinkedHashMap<>();
        for (Node n : nodes) {
            String h = n.id();
            if (!cx.bool(h, "vip_enabled")) {
                continue;
            }
            Source at = cx.sourceOf(h, "vip_enabled", cx.inv.hosts().get(h));
            Object address = cx.value(h, "vip_address");
            Object vrid = cx.value(h, "vip_vrid");
            if (address == null || vrid == null) {
                cx.diags.error("vip_enabled is true for " + h + " but "
                        + (address == null && vrid == null ? "vip_address and vip_vrid are" : address == null ? "vip_address is" : "vip_vrid is")
                        + " not set", at, "Set vip_address to a free IPv4 address of the nodes' subnet (like 10.10.10.20) and vip_vrid to a\n"
                        + "VRRP router id from 1 to 254 that no other VIP on the segment uses, in the vars of the hosts' group.");
                continue;
            }
            if (!(vrid instanceof Long l)) {
                continue; // the type check has reported it
            }
            if (l < 1 || l > 254) {
                cx.diags.error("vip_vrid " + l + " of " + h + " is not a VRRP router id", cx.sourceOf(h, "vip_vrid", at),
                        "Use a number from 1 to 254 that no other VIP on the segment uses.");
                continue;
            }
            Vip mine = new Vip(String.valueOf(address), l.intValue(), h);
            Vip sameAddress = byAddress.putIfAbsent(mine.address(), mine);
            Vip sameVrid = byVrid.putIfAbsent(mine.vrid(), mine);
            if (sameAddress != null && sameAddress.vrid() != mine.vrid()) {
                cx.diags.error("node VIP " + mine.address() + " has router id " + sameAddress.vrid() + " on " + sameAddress.host()
                        + " and " + mine.vrid() + " on " + h, cx.sourceOf(h, "vip_vrid", at),
                        "The hosts that hold one VIP share its router id: set vip_address and vip_vrid in their group's vars.");
                continue;
            }
            if (sameVrid != null && !sameVrid.address().equals(mine.address())) {
                cx.diags.error("router id " + mine.vrid() + " holds node VIP " + sameVrid.address() + " on " + sameVrid.host()
                        + " and " + mine.address() + " on " + h, cx.sourceOf(h, "vip_vrid", at),
                        "Give each node VIP its own vip_vrid: VRRP tells VIPs apart on a segment by their router id.");
                continue;
            }
            if (cx.var(h, "vip_auth_pass") != null) {
                String pw = cx.str(h, "vip_auth_pass");
                String other = passwords.putIfAbsent(mine.address(), pw);
                if (other != null && !other.equals(pw)) {
                    cx.diags.error("the hosts of node VIP " + mine.address() + " set different vip_auth_pass values",
                            cx.sourceOf(h, "vip_auth_pass", at), "Set one vip_auth_pass for the VIP, in its group's vars: VRRP drops adverts"
                                    + " whose password differs.");
                } else if (other == null && pw.length() > 8) {
                    cx.diags.warning("vip_auth_pass of node VIP " + mine.address() + " is longer than 8 characters",
                            cx.sourceOf(h, "vip_auth_pass", at), "VRRP carries only its first 8 characters; the rest is ignored.");
                }
            }
        }
        for (Vip a : byAddress.values()) {
            for (PgCluster c : pg) {
                if (c.vipAddress().isEmpty()) {
                    continue;
                }
                String cidr = c.vipAddress().get();
                String pgAddress = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
                int pgRouter = pgAddress.matches("[0-9.]+") ? Integer.parseInt(pgAddress.substring(pgAddress.lastIndexOf('.') + 1)) : -1;
                if (pgRouter == a.vrid() || pgAddress.equals(a.address())) {
                    cx.diags.error("node VIP " + a.address() + " and the VIP of PostgreSQL cluster '" + c.name() + "' share "
                            + (pgAddress.equals(a.address()) ? "their address" : "router id " + a.vrid()
                            + " (a PostgreSQL VIP's router id is the last octet of pg_vip_address, " + cidr + ")"),
                            cx.sourceOf(a.host(), pgAddress.equals(a.address()) ? "vip_address" : "vip_vrid", cx.inv.hosts().get(a.host())),
                            "Pick a vip_vrid (and a vip_address) that no PostgreSQL VIP uses.");
                }
            }
        }
    }
}
