package dev.pig.core.diag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects diagnostics so that every problem of an input is reported in one pass. Excerpts are
 * filled in from the files the positions name, read once each.
 */
public final class Diagnostics {
    private static final java.util.Comparator<Diagnostic> BY_POSITION = java.util.Comparator
            .comparing((Diagnostic d) -> d.source().file())
            .thenComparingInt(d -> d.source().line())
            .thenComparingInt(d -> d.source().column());
    private final List<Diagnostic> items = new ArrayList<>();
    private final Map<String, List<String>> fileLines = new HashMap<>();
    private final java.util.Set<String> seen = new java.util.HashSet<>();
    /** Secret values written in the input, by file and line: they never show in an excerpt. */
    private final Map<String, List<Redaction>> redactions = new HashMap<>();

    private record Redaction(int column, String text) {
    }

    /** Makes the lines of a file available for excerpts without reading it again. */
    public void registerText(String file, String text) {
        fileLines.put(file, List.of(text.split("\r?\n", -1)));
    }

    /**
     * Keeps a secret written at {@code at} out of every excerpt of its line: a warning about the
     * parameter, or any problem on the same line, shows {@code ***} in its place.
     */
    public void redact(Source at, String text) {
        if (at.known() && text != null && !text.isEmpty()) {
            redactions.computeIfAbsent(at.file() + ":" + at.line(), k -> new ArrayList<>()).add(new Redaction(at.column(), text));
        }
    }

    /** Adds a diagnostic; the same problem at the same place (seen from many hosts) is kept once. */
    public void add(Diagnostic d) {
        if (seen.add(d.severity() + "|" + d.summary() + "|" + d.source())) {
            items.add(withExcerpt(d));
        }
    }

    public void error(String summary, Source source, String hint) {
        add(Diagnostic.error(summary, source, hint));
    }

    public void warning(String summary, Source source, String hint) {
        add(Diagnostic.warning(summary, source, hint));
    }

    public void addAll(Diagnostics other) {
        items.addAll(other.items);
        other.redactions.forEach((line, rs) -> redactions.computeIfAbsent(line, k -> new ArrayList<>()).addAll(rs));
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** Every diagnostic, ordered by file and position (the order a reader fixes them in). */
    public List<Diagnostic> all() {
        List<Diagnostic> sorted = new ArrayList<>(items.size());
        items.forEach(d -> sorted.add(redacted(d)));
        sorted.sort(BY_POSITION);
        return Collections.unmodifiableList(sorted);
    }

    public List<Diagnostic> errors() {
        return all().stream().filter(d -> d.severity() == Severity.ERROR).toList();
    }

    public List<Diagnostic> warnings() {
        return all().stream().filter(d -> d.severity() == Severity.WARNING).toList();
    }

    /** Throws an {@link InvalidInputException} carrying every diagnostic when any is an error. */
    public void throwIfErrors() {
        if (hasErrors()) {
            throw new InvalidInputException(this);
        }
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        for (Diagnostic d : all()) {
            b.append(d.render()).append('\n');
        }
        return b.toString();
    }

    private Diagnostic redacted(Diagnostic d) {
        List<Redaction> rs = d.excerpt().isEmpty() ? null : redactions.get(d.source().file() + ":" + d.source().line());
        if (rs == null) {
            return d;
        }
        String line = d.excerpt();
        for (Redaction r : rs) {
            // the value starts at its column (after a quote when quoted)
            int at = line.indexOf(r.text(), Math.max(0, Math.min(line.length(), r.column() - 1)));
            if (at < 0) {
                at = line.indexOf(r.text());
            }
            if (at >= 0) {
                line = line.substring(0, at) + "***" + line.substring(at + r.text().length());
            } else {
                // written with escapes ("S3cr\u0000t"), the value is not in the line as it parses: the
                // whole quoted scalar that starts at its column goes
                line = maskQuoted(line, r.column() - 1);
            }
        }
        return d.withExcerpt(line);
    }

    /** The line with the quoted scalar whose opening quote is at (or just before) {@code col} masked. */
    static String maskQuoted(String line, int col) {
        for (int q = Math.max(0, col - 1); q <= Math.min(line.length() - 1, col); q++) {
            char quote = line.charAt(q);
            if (quote != '"' && quote != '\'') {
                continue;
            }
            int i = q + 1;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (quote == '"' && c == '\\') {
                    i += 2;
                } else if (c == quote && quote == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                    i += 2;
                } else if (c == quote) {
                    break;
                } else {
                    i++;
                }
            }
            return line.substring(0, q + 1) + "***" + (i < line.length() ? line.substring(i) : String.valueOf(quote));
        }
        return line;
    }

    private Diagnostic withExcerpt(Diagnostic d) {
        if (!d.excerpt().isEmpty() || !d.source().known()) {
            return d;
        }
        List<String> lines = fileLines.computeIfAbsent(d.source().file(), f -> {
            try {
                return Files.readAllLines(Path.of(f));
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        int i = d.source().line() - 1;
        Diagnostic out = i >= 0 && i < lines.size() ? d.withExcerpt(lines.get(i)) : d;
        if (out.related() != null && out.related().excerpt().isEmpty() && out.related().source().known()) {
            Source r = out.related().source();
            List<String> rl = r.file().equals(d.source().file()) ? lines : fileLines.getOrDefault(r.file(), List.of());
            int j = r.line() - 1;
            if (j >= 0 && j < rl.size()) {
                out = out.withRelated(out.related().withExcerpt(rl.get(j)));
            }
        }
        return out;
    }
}
