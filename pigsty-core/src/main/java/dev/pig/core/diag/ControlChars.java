package dev.pig.core.diag;

import java.util.OptionalInt;

/**
 * Characters that change what a terminal shows or where a line ends, rather than being shown:
 * C0 controls (newline, NUL, ESC ...), DEL, C1 controls, the Unicode line and paragraph
 * separators, and the bidirectional embedding, override and isolate controls (which can make a
 * command read differently from what runs). Inventory values holding one are refused at
 * validation; text printed for people has them escaped.
 */
public final class ControlChars {
    private ControlChars() {
    }

    /** Whether {@code c} is one of these characters; a tab counts unless {@code allowTab}. */
    public static boolean isControl(int c, boolean allowTab) {
        if (c == '\t') {
            return !allowTab;
        }
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** The index of the first control character in {@code s}, if any. */
    public static OptionalInt first(String s, boolean allowTab) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i), allowTab)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** A readable name for a control character, for messages: {@code newline (\n)}, {@code ESC (\x1b)}. */
    public static String describe(int c) {
        return switch (c) {
            case '\n' -> "a newline (\\n)";
            case '\r' -> "a carriage return (\\r)";
            case '\t' -> "a tab (\\t)";
            case 0 -> "a NUL byte (\\0)";
            case 0x1b -> "an ESC (\\x1b, starts a terminal escape sequence)";
            default -> "the control character " + escape(String.valueOf((char) c));
        };
    }

    /**
     * {@code s} with every control character written as an escape ({@code \n}, {@code \x1b},
     * {@code \u202e}), so that printing it shows what it holds and cannot drive the terminal.
     * Backslashes are left as they are: the escapes are for a reader, not to be parsed back.
     */
    public static String escape(String s) {
        return escape(s, false);
    }

    /** Like {@link #escape(String)}, keeping newlines and tabs: for multi-line text such as a plan. */
    public static String escapeKeepingLines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepLines) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i), keepLines)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c, keepLines)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0 -> b.append("\\0");
                default -> b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(char c, boolean keepLines) {
        if (keepLines && (c == '\n' || c == '\t')) {
            return false;
        }
        return isControl(c, false);
    }
}
