package dev.pig.core.fact;

import java.util.List;

/** A group from {@code getent group}. */
public record GroupEntry(String name, int gid, List<String> members) {
    public GroupEntry {
        members = List.copyOf(members);
    }
}
