package dev.pig.modules.etcd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.pig.core.diag.PigException;

/**
 * Whether removing members keeps the etcd cluster able to commit: after each removal the members
 * that answer must still be a majority of the members that remain. Pure, over what one surviving
 * member reports: its member list and the health of every member's client URL.
 *
 * <p>With three members and one of them down, removing a healthy one leaves one member answering
 * of two, and two are a majority of two: refused. Removing the one that is down leaves two of two:
 * allowed. When several go, those that do not answer go first, so no step on the way is worse
 * than the end.
 */
public final class EtcdQuorum {
    private EtcdQuorum() {
    }

    /**
     * The members to remove, in the order to remove them, with the numbers behind the decision.
     *
     * @param order     listed members to remove, those that do not answer first
     * @param notListed peer URLs the cluster does not list (already removed)
     */
    public record Removal(List<EtcdMembers.Member> order, List<String> notListed, int listed, int remaining,
                          long healthyRemaining, int majority) {

        public boolean nothingToDo() {
            return order.isEmpty();
        }

        /** One line on the numbers: {@code 2 of the 2 remaining members answer; a majority of 2 is 2}. */
        public String numbers() {
            return healthyRemaining + " of the " + remaining + " remaining member(s) answer; a majority of " + remaining
                    + " is " + majority;
        }
    }

    /** The smallest number of members that is more than half of {@code n}. */
    public static int majority(int n) {
        return n / 2 + 1;
    }

    /**
     * @param gonePeerUrls the peer URLs of the members to remove
     * @throws PigException ({@code USAGE}) when the removal would leave too few members answering
     */
    public static Removal removal(EtcdMembers.View members, EtcdHealth.View health, List<String> gonePeerUrls) {
        List<EtcdMembers.Member> current = new ArrayList<>(members.members());
        List<EtcdMembers.Member> order = new ArrayList<>();
        List<String> notListed = new ArrayList<>();
        for (String url : gonePeerUrls) {
            current.stream().filter(m -> Etcdctl.hostPort(m.peerUrl()).equals(Etcdctl.hostPort(url))).findFirst().ifPresentOrElse(order::add, () -> notListed.add(url));
        }
        order.sort(Comparator.comparing(m -> healthy(m, health)));
        int listed = current.size();
        for (EtcdMembers.Member m : order) {
            current.remove(m);
            long answering = current.stream().filter(x -> healthy(x, health)).count();
            if (current.isEmpty()) {
                throw new PigException(PigException.Kind.USAGE, "removing " + names(order)
                        + " would leave the etcd cluster without members; remove fewer members");
            }
            int need = majority(current.size());
            if (answering < need) {
                List<String> down = current.stream().filter(x -> !healthy(x, health)).map(EtcdQuorum::label).toList();
                throw new PigException(PigException.Kind.USAGE, "removing " + names(order) + " would break etcd's quorum: "
                        + "after removing " + label(m) + ", " + answering + " of the " + current.size() + " remaining member(s) would answer, "
                        + "and a majority of " + current.size() + " is " + need + " (not answering: " + String.join(", ", down)
                        + "). Bring those members back first, or remove them instead.");
            }
        }
        int remaining = current.size();
        long healthyRemaining = current.stream().filter(x -> healthy(x, health)).count();
        return new Removal(List.copyOf(order), List.copyOf(notListed), listed, remaining, healthyRemaining, majority(remaining));
    }

    /** Whether a listed member answers; one that never started has no client URL and does not. */
    static boolean healthy(EtcdMembers.Member m, EtcdHealth.View health) {
        return !m.clientUrl().isEmpty() && health.healthy(m.clientUrl());
    }

    static String label(EtcdMembers.Member m) {
        return (m.name().isEmpty() ? m.id() : m.name()) + " (" + (m.clientUrl().isEmpty() ? m.peerUrl() : m.clientUrl()) + ")";
    }

    private static String names(List<EtcdMembers.Member> ms) {
        return String.join(", ", ms.stream().map(m -> m.name().isEmpty() ? m.peerUrl() : m.name()).toList());
    }
}
