package dev.pig.core.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * What apply will do on every host, as data: rendered for review, saved with {@code -o PLANFILE}
 * and applied later only to hosts whose facts have not changed since.
 */
public record Plan(int formatVersion, List<HostPlan> hosts) {
    public static final int FORMAT = 1;

    public Plan {
        hosts = List.copyOf(hosts);
    }

    public static Plan of(List<HostPlan> hosts) {
        return new Plan(FORMAT, hosts);
    }

    @JsonIgnore
    public int count(Action a) {
        return (int) hosts.stream().flatMap(h -> h.actions().stream()).filter(c -> c.action() == a).count();
    }

    @JsonIgnore
    public boolean isEmpty() {
        return hosts.stream().allMatch(h -> h.actions().isEmpty());
    }

    @JsonIgnore
    public List<HostPlan> failedHosts() {
        return hosts.stream().filter(h -> h.error() != null).toList();
    }
}
