package dev.pig.sandbox;

import java.util.List;

import dev.pig.sandbox.system.IpObject;
import dev.pig.sandbox.system.Tools;

/**
 * The sandbox network on the host, as {@link SandboxNetwork} plans it: the bridge, and each node's
 * network namespace with a veth pair from it to the bridge.
 */
final class NodeNetwork {
    private NodeNetwork() {
    }

    /** The bridge, with the {@code .1} of the nodes' /24, up. */
    static void ensureBridge(SandboxNetwork net, List<String> changes) {
        String br = SandboxNetwork.BRIDGE;
        if (!IpObject.LINK.exists(br)) {
            Tools.check(List.of("ip", "link", "add", br, "type", "bridge"));
            changes.add("created bridge " + br);
        }
        String addrs = Tools.check(List.of("ip", "-4", "-o", "addr", "show", "dev", br)).out();
        if (!addrs.contains(" " + net.bridgeIp() + "/24 ")) {
            Tools.check(List.of("ip", "addr", "add", net.bridgeIp() + "/24", "dev", br));
            changes.add("gave " + br + " address " + net.bridgeIp() + "/24");
        }
        Tools.check(List.of("ip", "link", "set", br, "up"));
    }

    /** Whether a node's namespace and the host end of its veth are there. */
    static boolean namespaceExists(SandboxHost h) {
        return IpObject.NETNS.exists(SandboxNetwork.netns(h));
    }

    static boolean vethExists(SandboxHost h) {
        return IpObject.LINK.exists(SandboxNetwork.hostVeth(h));
    }

    /** A node's namespace, with {@code eth0} at its address and a default route via the bridge. */
    static void create(SandboxHost h, SandboxNetwork net) {
        String ns = SandboxNetwork.netns(h);
        String hv = SandboxNetwork.hostVeth(h);
        String pv = SandboxNetwork.peerVeth(h);
        Tools.check(List.of("ip", "netns", "add", ns));
        Tools.check(List.of("ip", "link", "add", hv, "type", "veth", "peer", "name", pv));
        Tools.check(List.of("ip", "link", "set", pv, "netns", ns));
        Tools.check(List.of("ip", "-n", ns, "link", "set", pv, "name", "eth0"));
        Tools.check(List.of("ip", "-n", ns, "addr", "add", h.ip() + "/24", "dev", "eth0"));
        Tools.check(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        Tools.check(List.of("ip", "-n", ns, "link", "set", "eth0", "up"));
        Tools.check(List.of("ip", "-n", ns, "route", "add", "default", "via", net.bridgeIp()));
        Tools.check(List.of("ip", "link", "set", hv, "master", SandboxNetwork.BRIDGE));
        Tools.check(List.of("ip", "link", "set", hv, "up"));
        // a restarted node has a new MAC: without this the host keeps sending to the old one
        // until its neighbour entry times out, and ssh waits half a minute
        Tools.run(List.of("ip", "neigh", "flush", "to", h.ip(), "dev", SandboxNetwork.BRIDGE));
    }

    /** Puts a running node's host veth back on the bridge and up, if it is not. */
    static void attachToBridge(SandboxHost h, List<String> changes) {
        String hv = SandboxNetwork.hostVeth(h);
        if (IpObject.upOnBridge(hv, SandboxNetwork.BRIDGE)) {
            return;
        }
        Tools.check(List.of("ip", "link", "set", hv, "master", SandboxNetwork.BRIDGE));
        Tools.check(List.of("ip", "link", "set", hv, "up"));
        Tools.run(List.of("ip", "neigh", "flush", "to", h.ip(), "dev", SandboxNetwork.BRIDGE));
        changes.add("attached " + hv + " of " + h.name() + " (" + h.ip() + ") to " + SandboxNetwork.BRIDGE + " again");
    }

    /** Takes a node off the network, as a pulled cable: its host veth goes down; {@link #attachToBridge} brings it back. */
    static void cut(SandboxHost h) {
        Tools.check(List.of("ip", "link", "set", SandboxNetwork.hostVeth(h), "down"));
    }

    /** Removes a node's namespace and both ends of its veth pair, whichever are left. */
    static void remove(SandboxHost h) {
        IpObject.NETNS.delete(SandboxNetwork.netns(h));
        for (String link : List.of(SandboxNetwork.hostVeth(h), SandboxNetwork.peerVeth(h))) {
            IpObject.LINK.delete(link);
        }
    }

    /**
     * Removes every link and namespace the sandbox makes, of any node: the host veth ends first
     * (each takes its peer along), then the namespaces, then the bridge.
     */
    static void removeAll(List<String> done) {
        for (String link : IpObject.LINK.list()) {
            if (SandboxNetwork.isSandboxLink(link) && !link.equals(SandboxNetwork.BRIDGE) && IpObject.LINK.delete(link)) {
                done.add("deleted link " + link);
            }
        }
        for (String ns : IpObject.NETNS.list()) {
            if (SandboxNetwork.isSandboxNetns(ns) && IpObject.NETNS.delete(ns)) {
                done.add("deleted netns " + ns);
            }
        }
        if (IpObject.LINK.delete(SandboxNetwork.BRIDGE)) {
            done.add("deleted bridge " + SandboxNetwork.BRIDGE);
        }
    }
}
