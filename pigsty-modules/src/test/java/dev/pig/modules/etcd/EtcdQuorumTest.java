package dev.pig.modules.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;

class EtcdQuorumTest {

    private static EtcdMembers.Member member(int n) {
        return new EtcdMembers.Member("id" + n, "etcd-" + n, peer(n), "http://10.10.10.1" + n + ":2379", true, false);
    }

    private static String peer(int n) {
        return "http://10.10.10.1" + n + ":2380";
    }

    /** {@code n} started members, of which those in {@code down} do not answer. */
    private static EtcdQuorum.Removal remove(int n, List<Integer> down, Integer... gone) {
        List<EtcdMembers.Member> ms = new java.util.ArrayList<>();
        Map<String, Boolean> health = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ms.add(member(i));
            health.put(member(i).clientUrl(), !down.contains(i));
        }
        return EtcdQuorum.removal(new EtcdMembers.View(true, ms), new EtcdHealth.View(health),
                java.util.Arrays.stream(gone).map(EtcdQuorumTest::peer).toList());
    }

    @Test
    void removing_a_healthy_member_of_three_is_refused_when_another_is_down() {
        PigException e = assertThrows(PigException.class, () -> remove(3, List.of(2), 0));
        assertEquals(PigException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("1 of the 2 remaining member(s) would answer, and a majority of 2 is 2"), e.getMessage());
        assertTrue(e.getMessage().contains("not answering: etcd-2 (http://10.10.10.12:2379)"), e.getMessage());
    }

    @Test
    void removing_the_member_that_is_down_is_allowed() {
        EtcdQuorum.Removal r = remove(3, List.of(2), 2);
        assertEquals(List.of("etcd-2"), r.order().stream().map(EtcdMembers.Member::name).toList());
        assertEquals("2 of the 2 remaining member(s) answer; a majority of 2 is 2", r.numbers());
    }

    @Test
    void removing_one_of_three_healthy_members_is_allowed() {
        EtcdQuorum.Removal r = remove(3, List.of(), 0);
        assertEquals(List.of("id0"), r.order().stream().map(EtcdMembers.Member::id).toList());
        assertEquals(2, r.remaining());
        assertEquals(2, r.healthyRemaining());
    }

    @Test
    void members_that_are_down_leave_first_so_no_step_loses_quorum() {
        // five members, 3 and 4 down: removing 0 first would leave 2 of 4 answering
        EtcdQuorum.Removal r = remove(5, List.of(3, 4), 0, 3);
        assertEquals(List.of("etcd-3", "etcd-0"), r.order().stream().map(EtcdMembers.Member::name).toList());
        assertEquals("2 of the 3 remaining member(s) answer; a majority of 3 is 2", r.numbers());
    }

    @Test
    void a_member_the_cluster_no_longer_lists_needs_nothing() {
        EtcdQuorum.Removal r = remove(3, List.of(), 7);
        assertTrue(r.nothingToDo());
        assertEquals(List.of(peer(7)), r.notListed());
    }

    @Test
    void a_member_that_never_started_counts_in_the_membership_but_not_as_answering() {
        List<EtcdMembers.Member> ms = List.of(member(0), member(1),
                new EtcdMembers.Member("id2", "", peer(2), "", false, false));
        Map<String, Boolean> health = Map.of(member(0).clientUrl(), true, member(1).clientUrl(), true);
        PigException e = assertThrows(PigException.class, () -> EtcdQuorum.removal(new EtcdMembers.View(true, ms),
                new EtcdHealth.View(health), List.of(peer(0))));
        assertTrue(e.getMessage().contains("1 of the 2 remaining member(s) would answer"), e.getMessage());
        assertTrue(e.getMessage().contains("not answering: id2 (http://10.10.10.12:2380)"), e.getMessage());
    }

    @Test
    void the_last_member_cannot_go() {
        PigException e = assertThrows(PigException.class, () -> remove(1, List.of(), 0));
        assertTrue(e.getMessage().contains("without members"), e.getMessage());
    }
}
