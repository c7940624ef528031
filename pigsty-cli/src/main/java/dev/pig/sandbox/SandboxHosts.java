package dev.pig.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;

/** Which sandbox nodes an inventory asks for. */
public final class SandboxHosts {
    private SandboxHosts() {
    }

    /**
     * The hosts of a Pigsty inventory, in order of first appearance, one per IP address.
     *
     * <pre>
     * all:
     *   children:
     *     pg-test:
     *       hosts:
     *         10.10.10.11: { pg_seq: 1, pg_role: primary }   # -> pg-test-1 at 10.10.10.11
     *       vars: { pg_cluster: pg-test }
     * </pre>
     *
     * A host's address is its {@code ansible_host} if set, else its key. Its hostname is its
     * {@code nodename} if set, else {@code <pg_cluster>-<pg_seq>} when it is in a group with a
     * {@code pg_cluster} (Pigsty's {@code node_id_from_pg}), else the address with dashes for dots.
     * Its release is its {@code sandbox_release}, which may be set for all hosts, a group or one
     * host: {@code all: { vars: { sandbox_release: trixie } } }.
     */
    public static List<SandboxHost> fromInventory(Path inventory) {
        ClusterModel model = ModelLoader.load(inventory, List.of()).model();
        List<SandboxHost> hosts = new ArrayList<>();
        for (Node n : model.nodes()) {
            hosts.add(new SandboxHost(n.nodename().isEmpty() ? n.address().replace('.', '-') : n.nodename(), n.address(),
                    String.valueOf(model.value(n.id(), "sandbox_release"))));
        }
        if (hosts.isEmpty()) {
            throw new PigException(PigException.Kind.INVALID_INPUT,
                    "inventory " + inventory + " has no hosts under all.children.<group>.hosts");
        }
        return List.copyOf(hosts);
    }
}
