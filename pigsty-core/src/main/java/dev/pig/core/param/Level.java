package dev.pig.core.param;

/** Where a parameter is meant to be set: for everything, per cluster (group), or per host. */
public enum Level {
    GLOBAL("G"), CLUSTER("C"), INSTANCE("I");

    private final String code;

    Level(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    static Level ofCode(String code) {
        for (Level l : values()) {
            if (l.code.equalsIgnoreCase(code) || l.name().equalsIgnoreCase(code)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown level '" + code + "' (G, C or I)");
    }
}
