package dev.pig.core.diag;

/**
 * One problem in user input.
 *
 * @param summary what is wrong, one line
 * @param source where: file, line and column
 * @param excerpt the offending source line, or empty
 * @param hint what to do about it, or empty
 */
public record Diagnostic(Severity severity, String summary, Source source, String excerpt, String hint) {

    public static Diagnostic error(String summary, Source source, String hint) {
        return new Diagnostic(Severity.ERROR, summary, source, "", hint);
    }

    public static Diagnostic warning(String summary, Source source, String hint) {
        return new Diagnostic(Severity.WARNING, summary, source, "", hint);
    }

    public Diagnostic withExcerpt(String line) {
        return new Diagnostic(severity, summary, source, line, hint);
    }

    /**
     * Renders as Terraform does: a summary line, the position, the excerpt with a caret under the
     * column, then the hint.
     *
     * <pre>
     * Error: unknown parameter 'pg_usres'
     *   on pigsty.yml line 12, column 9:
     *     12 |         pg_usres: []
     *                  ^
     *   Did you mean 'pg_users'?
     * </pre>
     */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(severity.label()).append(": ").append(summary).append('\n');
        if (source.known()) {
            b.append("  on ").append(source.file()).append(" line ").append(source.line())
                    .append(", column ").append(source.column()).append(":\n");
            if (!excerpt.isEmpty()) {
                String prefix = "    " + source.line() + " | ";
                b.append(prefix).append(excerpt).append('\n');
                b.append(" ".repeat(prefix.length() + Math.max(0, source.column() - 1))).append("^\n");
            }
        } else if (!source.file().isEmpty()) {
            b.append("  in ").append(source.file()).append('\n');
        }
        if (!hint.isEmpty()) {
            for (String line : hint.split("\n")) {
                b.append("  ").append(line).append('\n');
            }
        }
        return b.toString();
    }
}
