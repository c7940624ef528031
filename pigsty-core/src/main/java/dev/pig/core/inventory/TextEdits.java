package dev.pig.core.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Edits of an inventory's text in place, at the positions its values were parsed from, so that
 * comments, order, quoting and layout stay as they were (re-dumping the YAML would lose them).
 */
public final class TextEdits {
    private TextEdits() {
    }

    /**
     * Replace the scalar written at {@code line}:{@code column} (1-based, where its first
     * character or opening quote is), whose value is {@code old}, with {@code value}.
     */
    public record Replace(int line, int column, String old, String value) {
    }

    /** Lines to insert before {@code line} (1-based). */
    public record Insert(int line, List<String> lines) {
    }

    /**
     * Applies the edits; empty when a scalar is not where its edit says (the file changed since it
     * was read, or the value spans lines), so the caller can refuse rather than damage the file.
     * A replacement value is written in the scalar's own quoting, so it must need no escaping.
     */
    public static Optional<String> apply(String text, List<Replace> replaces, List<Insert> inserts) {
        List<String> lines = new ArrayList<>(List.of(text.split("(?<=\n)", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<Replace> ordered = new ArrayList<>(replaces);
        // right to left on a line, so earlier columns stay valid
        ordered.sort(Comparator.comparingInt(Replace::line).thenComparing(Replace::column, Comparator.reverseOrder()));
        for (Replace r : ordered) {
            if (r.line() < 1 || r.line() > lines.size()) {
                return Optional.empty();
            }
            String l = lines.get(r.line() - 1);
            Optional<String> edited = replaceAt(l, r.column() - 1, r.old(), r.value());
            if (edited.isEmpty()) {
                return Optional.empty();
            }
            lines.set(r.line() - 1, edited.get());
        }
        List<Insert> ins = new ArrayList<>(inserts);
        ins.sort(Comparator.comparingInt(Insert::line).reversed());
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        for (Insert i : ins) {
            List<String> add = i.lines().stream().map(x -> x + eol).toList();
            lines.addAll(Math.max(0, Math.min(lines.size(), i.line() - 1)), add);
        }
        return Optional.of(String.join("", lines));
    }

    private static Optional<String> replaceAt(String line, int at, String old, String value) {
        if (at < 0 || at >= line.length()) {
            return Optional.empty();
        }
        char q = line.charAt(at);
        if (q == '\'' || q == '"') {
            int end = closing(line, at, q);
            if (end < 0) {
                return Optional.empty();
            }
            String inner = line.substring(at + 1, end);
            String decoded = q == '\'' ? inner.replace("''", "'") : inner;
            if (!decoded.equals(old)) {
                return Optional.empty();
            }
            return Optional.of(line.substring(0, at + 1) + value + line.substring(end));
        }
        if (!line.startsWith(old, at)) {
            return Optional.empty();
        }
        return Optional.of(line.substring(0, at) + value + line.substring(at + old.length()));
    }

    /** The index of the quote closing the one at {@code at}, or -1 on this line. */
    private static int closing(String line, int at, char q) {
        for (int i = at + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q == '"' && c == '\\') {
                i++;
            } else if (c == q) {
                if (q == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }
}
