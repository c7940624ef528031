package dev.pig.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;

class SandboxNetworkTest {
    static final List<SandboxHost> FOUR = List.of(
            new SandboxHost("pg-meta-1", "10.10.10.10"),
            new SandboxHost("pg-test-1", "10.10.10.11"),
            new SandboxHost("pg-test-2", "10.10.10.12"),
            new SandboxHost("pg-test-3", "10.10.10.13"));

    @Test
    void bridge_takes_dot_one_of_the_hosts_subnet() {
        SandboxNetwork net = SandboxNetwork.plan(FOUR);
        assertEquals("10.10.10.1", net.bridgeIp());
        assertEquals("10.10.10.0/24", net.cidr());
    }

    @Test
    void proxy_listens_on_the_bridge_address() {
        assertEquals("http://10.10.10.1:8888", SandboxNetwork.plan(FOUR).proxyUrl());
    }

    @Test
    void netns_is_named_after_the_address() {
        assertEquals("pig-10-10-10-11", SandboxNetwork.netns(FOUR.get(1)));
    }

    @Test
    void veth_names_fit_the_kernel_limit_of_fifteen_characters() {
        SandboxHost widest = new SandboxHost("n", "192.168.100.254");
        assertEquals("pig-v254", SandboxNetwork.hostVeth(widest));
        assertEquals("pig-p254", SandboxNetwork.peerVeth(widest));
        assertTrue(SandboxNetwork.BRIDGE.length() <= 15);
    }

    @Test
    void hosts_in_two_subnets_are_rejected_with_both_named() {
        PigException e = assertThrows(PigException.class, () -> SandboxNetwork.plan(List.of(
                new SandboxHost("a", "10.10.10.11"), new SandboxHost("b", "10.10.20.11"))));
        assertEquals(PigException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("10.10.10.0/24, 10.10.20.0/24"), e.getMessage());
    }

    @Test
    void the_bridge_address_cannot_be_a_node() {
        PigException e = assertThrows(PigException.class,
                () -> SandboxNetwork.plan(List.of(new SandboxHost("a", "10.10.10.1"))));
        assertTrue(e.getMessage().contains("10.10.10.1 cannot be a sandbox node"), e.getMessage());
    }

    @Test
    void every_problem_is_reported_at_once() {
        PigException e = assertThrows(PigException.class, () -> SandboxNetwork.plan(List.of(
                new SandboxHost("a", "10.10.10.300"), new SandboxHost("b_c", "10.10.10.12"),
                new SandboxHost("d", "10.10.10.13"), new SandboxHost("d", "10.10.10.14"))));
        assertTrue(e.getMessage().contains("10.10.10.300 is not an IPv4 address"), e.getMessage());
        assertTrue(e.getMessage().contains("'b_c', which is not a valid hostname"), e.getMessage());
        assertTrue(e.getMessage().contains("hostname d is used by more than one host"), e.getMessage());
    }

    @Test
    void only_names_the_sandbox_makes_count_as_its_leftovers() {
        assertTrue(SandboxNetwork.isSandboxNetns("pig-10-10-10-11"));
        assertFalse(SandboxNetwork.isSandboxNetns("pig-other"));
        assertFalse(SandboxNetwork.isSandboxNetns("10-10-10-11"));
        assertTrue(SandboxNetwork.isSandboxLink("pig-br0"));
        assertTrue(SandboxNetwork.isSandboxLink("pig-v11"));
        assertTrue(SandboxNetwork.isSandboxLink("pig-p11"));
        assertFalse(SandboxNetwork.isSandboxLink("pig-br1"));
        assertFalse(SandboxNetwork.isSandboxLink("eth0"));
    }

    @Test
    void etc_hosts_names_every_node() {
        String hosts = SandboxNetwork.plan(FOUR).etcHosts(FOUR.get(0));
        assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n"));
        assertTrue(hosts.contains("10.10.10.10\tpg-meta-1\n"));
        assertTrue(hosts.contains("10.10.10.13\tpg-test-3\n"));
    }
}
