package dev.pig.core.inventory;

import dev.pig.core.diag.Source;

/**
 * A host's variable after precedence: its value, where it was set ({@code source}), and which
 * layer it came from ({@code origin}, with {@code detail} naming the group for group vars).
 */
public record Var(String name, YNode node, Origin origin, String detail, Source source) {

    public Object value() {
        return node.plain();
    }

    /** {@code group pg-test}, {@code host}, {@code all.vars}, {@code default}, {@code -e}. */
    public String originText() {
        return detail.isEmpty() ? origin.label() : origin.label() + " " + detail;
    }
}
