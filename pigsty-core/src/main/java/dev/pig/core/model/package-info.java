/**
 * The typed cluster model built from an inventory: nodes, PostgreSQL clusters with their
 * instances, users, databases, HBA rules and services (with their JMESPath member selectors), and
 * the etcd, MinIO, Redis and infra groups. All records are immutable;
 * {@link dev.pig.core.model.ModelBuilder} builds and validates them in one pass.
 */
package dev.pig.core.model;
