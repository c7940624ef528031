package dev.pig.core.diag;

/** How bad a diagnostic is: errors stop the run before any host is touched, warnings do not. */
public enum Severity {
    ERROR("Error"),
    WARNING("Warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
