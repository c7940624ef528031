/**
 * The typed cluster model built from an inventory: nodes, PostgreSQL clusters with their
 * instances, users, databases, HBA rules and services (with their JMESPath member selectors), and
 * the etcd, MinIO, Redis and infra groups. All records are immutable;
 * {@link dev.pig.core.model.ModelBuilder} builds and validates them in one pass, one concept per
 * class: {@code ParamChecks} and {@code FormatRules} (each parameter where it is written),
 * {@code PgClusters} (Pigsty's rules for a PostgreSQL cluster), {@code PortClashes}, and each
 * record reading its own entries and fields ({@code PgUser.read}, {@code EtcdCluster.read} ...).
 * Defaults come only from the parameter catalog.
 */
package dev.pig.core.model;
