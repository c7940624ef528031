/**
 * PGSQL: PostgreSQL clusters run by Patroni on etcd. Install and layout, patroni.yml with its
 * tuning and HBA, the bootstrap of the primary before the replicas, and the roles and databases
 * provisioned on the live leader from its catalog.
 */
package dev.pig.modules.pgsql;
