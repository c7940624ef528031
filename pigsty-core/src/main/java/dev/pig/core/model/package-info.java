/**
 * The typed cluster model built from an inventory: nodes, PostgreSQL clusters with their
 * instances, users, databases, HBA rules and services, and the etcd, MinIO, Redis and infra
 * groups. All records are immutable; {@link dev.pig.core.model.ModelBuilder} builds and validates
 * them in one pass.
 */
package dev.pig.core.model;
