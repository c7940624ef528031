package dev.pig.core.model;

import java.util.List;

/** The etcd cluster that holds Patroni's DCS: the {@code etcd} group with {@code etcd_cluster}. */
public record EtcdCluster(String name, String group, List<Member> members) {

    /** One etcd member: {@code etcd_seq} on a host of the group; its name is {@code <cluster>-<seq>}. */
    public record Member(int seq, String ip, String name, int port, int peerPort) {
    }
}
