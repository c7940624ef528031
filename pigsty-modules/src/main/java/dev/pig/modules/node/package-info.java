/**
 * NODE: what every managed host gets before any database (Pigsty's {@code node.yml}): its name
 * and /etc/hosts, the package proxy and package sources, baseline packages, kernel tuning, the
 * admin user with its ssh keys exchanged among the hosts, time, cron, the data directory,
 * node_exporter and haproxy. Templates are in {@code templates/node/}; parameters {@code node_*}
 * and {@code haproxy_*} in the catalog's {@code node.yml}.
 */
package dev.pig.modules.node;
