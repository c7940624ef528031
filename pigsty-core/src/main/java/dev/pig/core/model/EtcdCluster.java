package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.inventory.Group;

/** The etcd cluster that holds Patroni's DCS: the {@code etcd} group with {@code etcd_cluster}. */
public record EtcdCluster(String name, String group, List<Member> members) {

    /** One etcd member: {@code etcd_seq} on a host of the group; its name is {@code <cluster>-<seq>}. */
    public record Member(int seq, String ip, String name, int port, int peerPort) {
    }

    /** The one group with {@code etcd_cluster} in its vars, its members numbered by {@code etcd_seq}. */
    static Optional<EtcdCluster> read(BuildContext cx) {
        Group etcdGroup = null;
        for (Group g : cx.inv.groups().values()) {
            if (g.var("etcd_cluster") != null) {
                if (etcdGroup != null) {
                    cx.diags.error("a second etcd cluster is defined in group '" + g.name() + "'",
                            g.vars().entries().get("etcd_cluster").keySource(),
                            "pig manages one etcd cluster (group '" + etcdGroup.name() + "'); merge the members into it.");
                    continue;
                }
                etcdGroup = g;
            }
        }
        if (etcdGroup == null) {
            Group named = cx.inv.groups().get("etcd");
            if (named != null) {
                cx.diags.error("group 'etcd' has no 'etcd_cluster' in its vars", named.source(),
                        "Add 'vars: { etcd_cluster: etcd }' to the etcd group.");
            }
            return Optional.empty();
        }
        String name = String.valueOf(etcdGroup.var("etcd_cluster").plain());
        cx.checkClusterName(name, etcdGroup.var("etcd_cluster").source());
        Map<Integer, String> seen = new HashMap<>();
        List<Member> members = new ArrayList<>();
        for (String h : cx.inv.members(etcdGroup)) {
            cx.requiredSeq(h, "etcd_seq", etcdGroup, seen).ifPresent(s -> members.add(new Member(s, h, name + "-" + s,
                    cx.integer(h, "etcd_port"), cx.integer(h, "etcd_peer_port"))));
        }
        if (members.isEmpty() && cx.inv.members(etcdGroup).isEmpty()) {
            cx.diags.error("etcd group '" + etcdGroup.name() + "' has no hosts", etcdGroup.source(),
                    "Add at least one host with 'etcd_seq: 1' (three or five for a highly available DCS).");
        }
        return Optional.of(new EtcdCluster(name, etcdGroup.name(), List.copyOf(members)));
    }
}
