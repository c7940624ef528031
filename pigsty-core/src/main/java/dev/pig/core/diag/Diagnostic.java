package dev.pig.core.diag;

/**
 * One problem in user input.
 *
 * @param summary what is wrong, one line
 * @param source where: file, line and column
 * @param excerpt the offending source line, or empty
 * @param hint what to do about it, or empty
 * @param related a second place the problem involves (where an unclosed bracket was opened), or null
 */
public record Diagnostic(Severity severity, String summary, Source source, String excerpt, String hint, Related related) {

    /** Excerpts longer than this are cut to a window around the column. */
    static final int MAX_EXCERPT = 160;

    /**
     * A second position shown under the first, with its own excerpt.
     *
     * @param label what is there, such as "the flow mapping was opened here"
     */
    public record Related(String label, Source source, String excerpt) {
        public Related withExcerpt(String line) {
            return new Related(label, source, line);
        }
    }

    public Diagnostic(Severity severity, String summary, Source source, String excerpt, String hint) {
        this(severity, summary, source, excerpt, hint, null);
    }

    public static Diagnostic error(String summary, Source source, String hint) {
        return new Diagnostic(Severity.ERROR, summary, source, "", hint);
    }

    public static Diagnostic warning(String summary, Source source, String hint) {
        return new Diagnostic(Severity.WARNING, summary, source, "", hint);
    }

    public Diagnostic withExcerpt(String line) {
        return new Diagnostic(severity, summary, source, line, hint, related);
    }

    public Diagnostic withRelated(Related r) {
        return new Diagnostic(severity, summary, source, excerpt, hint, r);
    }

    /**
     * Renders as Terraform does: a summary line, the position, the excerpt with a caret under the
     * column, then the hint. Control characters (which an inventory value or a broken file may
     * hold) are printed escaped, so nothing shown can drive the terminal.
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
        b.append(severity.label()).append(": ").append(ControlChars.escape(summary)).append('\n');
        if (source.known()) {
            b.append("  on ").append(ControlChars.escape(source.file())).append(" line ").append(source.line())
                    .append(", column ").append(source.column()).append(":\n");
            excerpt(b, source, excerpt);
        } else if (!source.file().isEmpty()) {
            b.append("  in ").append(ControlChars.escape(source.file())).append('\n');
        }
        if (related != null && related.source().known()) {
            b.append("  ").append(ControlChars.escape(related.label())).append(", line ").append(related.source().line())
                    .append(", column ").append(related.source().column()).append(":\n");
            excerpt(b, related.source(), related.excerpt());
        }
        if (!hint.isEmpty()) {
            for (String line : hint.split("\n")) {
                b.append("  ").append(ControlChars.escape(line)).append('\n');
            }
        }
        return b.toString();
    }

    /** The line with a caret under the column; a long line is cut to a window around it. */
    private static void excerpt(StringBuilder b, Source at, String line) {
        if (line == null || line.isEmpty()) {
            return;
        }
        int col = Math.max(0, Math.min(line.length(), at.column() - 1));
        int from = 0;
        int to = line.length();
        if (line.length() > MAX_EXCERPT) {
            from = Math.max(0, col - MAX_EXCERPT / 2);
            to = Math.min(line.length(), from + MAX_EXCERPT);
        }
        String before = (from > 0 ? "..." : "") + ControlChars.escape(line.substring(from, col));
        String shown = before + ControlChars.escape(line.substring(col, to)) + (to < line.length() ? "..." : "");
        String prefix = "    " + at.line() + " | ";
        b.append(prefix).append(shown).append('\n');
        b.append(" ".repeat(prefix.length() + before.length())).append("^\n");
    }
}
