/**
 * ETCD: the etcd cluster that holds Patroni's DCS (Pigsty's {@code etcd.yml}). Templates are in
 * {@code templates/etcd/}; parameters {@code etcd_*} in the catalog's {@code etcd.yml}.
 */
package dev.pig.modules.etcd;
