package dev.pig.core.plan;

/** What a change does; the symbol is also what the plan shows. */
public enum Action {
    CREATE("+"),
    UPDATE("~"),
    DELETE("-"),
    RUN(">");

    private final String symbol;

    Action(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
