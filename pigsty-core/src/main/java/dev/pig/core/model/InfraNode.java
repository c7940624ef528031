package dev.pig.core.model;

/** A host of the {@code infra} group, numbered by {@code infra_seq}. */
public record InfraNode(int seq, String ip) {
}
