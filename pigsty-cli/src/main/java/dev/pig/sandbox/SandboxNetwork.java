package dev.pig.sandbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pig.core.diag.PigException;

/**
 * The sandbox's addresses and interface names, planned from its hosts: every host must be in one
 * /24, whose {@code .1} is the host bridge (and the nodes' gateway and package proxy).
 *
 * @param prefix   the first three octets, e.g. {@code 10.10.10}
 * @param hosts    the nodes, validated
 */
public record SandboxNetwork(String prefix, List<SandboxHost> hosts) {
    /** Name of the bridge on the host. */
    public static final String BRIDGE = "pig-br0";
    /** Every network namespace and link the sandbox creates starts with this. */
    public static final String NAME_PREFIX = "pig-";
    /** Port of the package proxy on the bridge address. */
    public static final int PROXY_PORT = 8888;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern HOSTNAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    private static final Pattern NETNS = Pattern.compile("pig-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}");
    private static final Pattern VETH = Pattern.compile("pig-[vp]\\d{1,3}");

    public SandboxNetwork {
        hosts = List.copyOf(hosts);
    }

    /** Plans the network of these hosts, or says every reason it cannot. */
    public static SandboxNetwork plan(List<SandboxHost> hosts) {
        List<String> problems = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (SandboxHost h : hosts) {
            var m = IPV4.matcher(h.ip());
            if (!m.matches() || !octetsValid(m)) {
                problems.add("host " + h.ip() + " is not an IPv4 address");
                continue;
            }
            int last = Integer.parseInt(m.group(4));
            if (last == 0 || last == 1 || last == 255) {
                problems.add("host " + h.ip() + " cannot be a sandbox node: .0, .1 and .255 of the /24"
                        + " are the network, the bridge and the broadcast address");
            }
            prefixes.add(m.group(1) + "." + m.group(2) + "." + m.group(3));
            if (!HOSTNAME.matcher(h.name()).matches()) {
                problems.add("host " + h.ip() + " has hostname '" + h.name() + "', which is not a valid hostname");
            }
            if (!names.add(h.name())) {
                problems.add("hostname " + h.name() + " is used by more than one host");
            }
        }
        if (hosts.isEmpty()) {
            problems.add("no hosts");
        }
        if (prefixes.size() > 1) {
            problems.add("the sandbox puts all nodes on one bridge, so all hosts must be in one /24; found "
                    + String.join(".0/24, ", prefixes.stream().sorted().toList()) + ".0/24");
        }
        if (!problems.isEmpty()) {
            throw new PigException(PigException.Kind.INVALID_INPUT,
                    "cannot plan the sandbox network:\n  " + String.join("\n  ", problems));
        }
        return new SandboxNetwork(prefixes.iterator().next(), hosts);
    }

    private static boolean octetsValid(java.util.regex.Matcher m) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The bridge's address, the {@code .1} of the hosts' /24. */
    public String bridgeIp() {
        return prefix + ".1";
    }

    /** The hosts' subnet, e.g. {@code 10.10.10.0/24}. */
    public String cidr() {
        return prefix + ".0/24";
    }

    /** The package proxy the nodes use, e.g. {@code http://10.10.10.1:8888}. */
    public String proxyUrl() {
        return "http://" + bridgeIp() + ":" + PROXY_PORT;
    }

    /** The network namespace of a node, e.g. {@code pig-10-10-10-11}. */
    public static String netns(SandboxHost h) {
        return NAME_PREFIX + h.ip().replace('.', '-');
    }

    /**
     * The host end of a node's veth pair, e.g. {@code pig-v11}. Interface names are limited to
     * 15 characters, so only the last octet, which is unique within the one /24, is used.
     */
    public static String hostVeth(SandboxHost h) {
        return NAME_PREFIX + "v" + lastOctet(h);
    }

    /** The node end of the veth pair before it moves into the namespace and becomes eth0. */
    public static String peerVeth(SandboxHost h) {
        return NAME_PREFIX + "p" + lastOctet(h);
    }

    /** Whether a network namespace name is one the sandbox makes. */
    public static boolean isSandboxNetns(String name) {
        return NETNS.matcher(name).matches();
    }

    /** Whether a host link name is one the sandbox makes (the bridge or a veth end). */
    public static boolean isSandboxLink(String name) {
        return name.equals(BRIDGE) || VETH.matcher(name).matches();
    }

    private static String lastOctet(SandboxHost h) {
        return h.ip().substring(h.ip().lastIndexOf('.') + 1);
    }

    /** The {@code /etc/hosts} every node gets: localhost and all sandbox nodes. */
    public String etcHosts(SandboxHost self) {
        StringBuilder sb = new StringBuilder();
        sb.append("127.0.0.1\tlocalhost\n");
        sb.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        for (SandboxHost h : hosts) {
            sb.append(h.ip()).append('\t').append(h.name()).append('\n');
        }
        return sb.toString();
    }
}
