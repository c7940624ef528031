/** The modules of a Pigsty deployment (NODE, INFRA, ETCD, MINIO, PGSQL, REDIS): facts and tasks per module. */
package dev.pig.modules;
