package dev.pig.core.model;

import java.util.List;

/** A MinIO cluster: a group with {@code minio_cluster}, members numbered by {@code minio_seq}. */
public record MinioCluster(String name, String group, List<Member> members) {

    /** One MinIO server. */
    public record Member(int seq, String ip, int port) {
    }
}
