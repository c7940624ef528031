package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.inventory.Group;

/** A MinIO cluster: a group with {@code minio_cluster}, members numbered by {@code minio_seq}. */
public record MinioCluster(String name, String group, List<Member> members) {

    /** One MinIO server. */
    public record Member(int seq, String ip, int port) {
    }

    /** The cluster of a group whose vars set {@code minio_cluster}. */
    static MinioCluster read(BuildContext cx, Group g) {
        String name = String.valueOf(g.var("minio_cluster").plain());
        cx.checkClusterName(name, g.var("minio_cluster").source());
        Map<Integer, String> seen = new HashMap<>();
        List<Member> members = new ArrayList<>();
        for (String h : cx.inv.members(g)) {
            cx.requiredSeq(h, "minio_seq", g, seen).ifPresent(s -> members.add(new Member(s, h, cx.integer(h, "minio_port"))));
        }
        return new MinioCluster(name, g.name(), List.copyOf(members));
    }
}
