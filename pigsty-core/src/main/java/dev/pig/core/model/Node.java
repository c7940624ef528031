package dev.pig.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A host of the inventory.
 *
 * <pre>
 * pg-test: { hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary, ansible_host: node-1 } } }
 * </pre>
 *
 * @param id the inventory key (usually the IP)
 * @param address where pig connects: {@code ansible_host}, else {@code id}
 * @param nodename the host name pig gives the node: {@code nodename}, else the PG instance name
 *                 when {@code node_id_from_pg} (the default), else empty (left as it is)
 * @param groups the inventory groups the host is in
 */
public record Node(String id, String address, int sshPort, String sshUser, Optional<String> privateKeyFile,
                   String nodename, String nodeCluster, List<String> groups) {
}
