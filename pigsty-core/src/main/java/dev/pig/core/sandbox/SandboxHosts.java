package dev.pig.core.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import dev.pig.core.diag.PigException;

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
     */
    public static List<SandboxHost> fromInventory(Path inventory) {
        Object root;
        try {
            String text = Files.readString(inventory);
            root = new Load(LoadSettings.builder().setLabel(inventory.toString()).build())
                    .loadFromString(text);
        } catch (NoSuchFileException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT,
                    "inventory " + inventory + " does not exist; pass one with -i FILE");
        } catch (IOException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT,
                    "cannot read inventory " + inventory + ": " + e.getMessage());
        } catch (YamlEngineException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT,
                    "inventory " + inventory + " is not valid YAML: " + e.getMessage());
        }
        Map<String, String> ipToName = new LinkedHashMap<>();
        Map<String, Boolean> named = new LinkedHashMap<>();
        Map<?, ?> groups = map(map(map(root).get("all")).get("children"));
        for (Object group : groups.values()) {
            Map<?, ?> g = map(group);
            Map<?, ?> groupVars = map(g.get("vars"));
            Object cluster = groupVars.get("pg_cluster");
            for (Map.Entry<?, ?> host : map(g.get("hosts")).entrySet()) {
                String key = String.valueOf(host.getKey());
                Map<?, ?> vars = map(host.getValue());
                String ip = vars.get("ansible_host") != null ? String.valueOf(vars.get("ansible_host")) : key;
                String name = null;
                boolean explicit = false;
                if (vars.get("nodename") != null) {
                    name = String.valueOf(vars.get("nodename"));
                    explicit = true;
                } else if (cluster != null && vars.get("pg_seq") != null) {
                    name = cluster + "-" + vars.get("pg_seq");
                }
                if (!ipToName.containsKey(ip)) {
                    ipToName.put(ip, name);
                    named.put(ip, explicit);
                } else if (name != null && (ipToName.get(ip) == null || explicit && !named.get(ip))) {
                    ipToName.put(ip, name);
                    named.put(ip, explicit);
                }
            }
        }
        if (ipToName.isEmpty()) {
            throw new PigException(PigException.Kind.INVALID_INPUT,
                    "inventory " + inventory + " has no hosts under all.children.<group>.hosts");
        }
        List<SandboxHost> hosts = new ArrayList<>();
        ipToName.forEach((ip, name) -> hosts.add(new SandboxHost(name != null ? name : ip.replace('.', '-'), ip)));
        return List.copyOf(hosts);
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }
}
