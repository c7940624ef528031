package dev.pig.core.diag;

/** Input with at least one error diagnostic; carries them all. */
public class InvalidInputException extends PigException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostics diagnostics;

    public InvalidInputException(Diagnostics diagnostics) {
        super(Kind.INVALID_INPUT, diagnostics.errors().size() + " error(s) in the input");
        this.diagnostics = diagnostics;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }

    @Override
    public String render() {
        int n = diagnostics.errors().size();
        return diagnostics.render() + n + (n == 1 ? " error" : " errors")
                + " found; nothing was changed on any host.";
    }
}
