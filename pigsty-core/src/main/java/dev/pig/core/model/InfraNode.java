package dev.pig.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.inventory.Group;

/** A host of the {@code infra} group, numbered by {@code infra_seq}. */
public record InfraNode(int seq, String ip) {

    /** The hosts of the {@code infra} group, each with its own {@code infra_seq}. */
    static List<InfraNode> read(BuildContext cx) {
        Group g = cx.inv.groups().get("infra");
        List<InfraNode> out = new ArrayList<>();
        if (g == null) {
            return out;
        }
        Map<Integer, String> seen = new HashMap<>();
        for (String h : cx.inv.members(g)) {
            cx.requiredSeq(h, "infra_seq", g, seen).ifPresent(s -> out.add(new InfraNode(s, h)));
        }
        return out;
    }
}
