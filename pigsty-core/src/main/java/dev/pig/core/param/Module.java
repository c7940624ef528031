package dev.pig.core.param;

/** The Pigsty modules, in the order a full deployment applies them. */
public enum Module {
    INFRA, NODE, ETCD, MINIO, PGSQL, REDIS, DOCKER
}
