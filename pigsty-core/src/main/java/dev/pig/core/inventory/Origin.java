package dev.pig.core.inventory;

/** Where a host's variable got its value, from weakest to strongest. */
public enum Origin {
    DEFAULT("default"),
    ALL_VARS("all.vars"),
    GROUP("group"),
    HOST("host"),
    EXTRA("-e");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
