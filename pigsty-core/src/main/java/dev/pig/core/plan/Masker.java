package dev.pig.core.plan;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.pig.core.model.Secret;

/**
 * Replaces known secret values with {@code ***} in text shown to people: commands, diffs, error
 * output. A secret is also masked in the forms it takes once written into a command or a file:
 * shell-quoted ({@code 'it'"'"'s'} and {@code 'it'\''s'}), SQL-escaped ({@code it''s}),
 * backslash-escaped, JSON-escaped, doubled double quotes (PgBouncer's userlist) and
 * URL-encoded, and those forms quoted once more for the shell or SQL.
 *
 * <p>Only whole tokens are masked. A secret of four characters or more is part of a longer word
 * when a letter, digit or {@code _} touches it, or a {@code .} or {@code -} that joins it to one:
 * with the password {@code pigsty}, {@code i.pigsty} and {@code pigsty-meta} stay as they are,
 * while {@code root:pigsty@host}, {@code --password=pigsty} and {@code 'pigsty'} are masked.
 *
 * <p>A secret of two or three characters would also match inside paths and names
 * ({@code pg} in {@code /pg/data}), so it is masked only where it stands between delimiters
 * (white space, quotes, {@code = : @ , ; ( ) [ ] { }} or the ends of the text), which is where a
 * password is written in a command. A one-character secret is never masked: blanking every
 * {@code a} would make output unreadable while hiding nothing that guessing would not find at
 * once; validation warns about secrets shorter than {@value #SHORT} characters instead.
 */
public final class Masker {
    public static final String MASK = "***";
    /** Secrets shorter than this are masked only between delimiters. */
    public static final int SHORT = 4;
    private static final Masker NONE = new Masker(List.of());
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    /** The forms a secret takes inside quoting, each applied alone and then quoted once more. */
    private static final List<UnaryOperator<String>> FORMS = List.of(
            s -> s.replace("'", "'\"'\"'"),
            s -> s.replace("'", "'\\''"),
            s -> s.replace("'", "''"),
            s -> s.replace("\"", "\"\""),
            s -> s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"),
            s -> new String(JSON.quoteAsString(s)),
            s -> URLEncoder.encode(s, StandardCharsets.UTF_8),
            s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
    private static final List<UnaryOperator<String>> REQUOTE = FORMS.subList(0, 3);

    private final List<String> values;

    public Masker(Collection<String> secretValues) {
        Set<String> all = new LinkedHashSet<>();
        for (String v : secretValues) {
            if (v == null || v.length() < 2) {
                continue;
            }
            all.add(v);
            for (UnaryOperator<String> f : FORMS) {
                String once = f.apply(v);
                all.add(once);
                for (UnaryOperator<String> q : REQUOTE) {
                    all.add(q.apply(once));
                }
            }
        }
        // longest first, so a secret containing another is masked whole
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.values = List.copyOf(sorted);
    }

    public static Masker of(Secret... secrets) {
        return new Masker(java.util.Arrays.stream(secrets).map(Secret::reveal).toList());
    }

    public static Masker none() {
        return NONE;
    }

    public String mask(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : values) {
            out = maskTokens(out, v);
        }
        return out;
    }

    private static String maskTokens(String text, String secret) {
        int at = text.indexOf(secret);
        if (at < 0) {
            return text;
        }
        boolean shortSecret = secret.length() < SHORT;
        StringBuilder b = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            int end = at + secret.length();
            boolean standsAlone = shortSecret ? delimitedBefore(text, at) && delimitedAfter(text, end)
                    : !joinedBefore(text, at) && !joinedAfter(text, end);
            if (!standsAlone) {
                at = text.indexOf(secret, at + 1);
                continue;
            }
            b.append(text, from, at).append(MASK);
            from = end;
            at = text.indexOf(secret, end);
        }
        return b.append(text, from, text.length()).toString();
    }

    /** Whether the text before {@code at} continues the same word (a word char, or a . or - after one). */
    private static boolean joinedBefore(String s, int at) {
        if (at == 0) {
            return false;
        }
        char c = s.charAt(at - 1);
        return isWord(c) || (isJoiner(c) && at >= 2 && isWord(s.charAt(at - 2)));
    }

    private static boolean joinedAfter(String s, int end) {
        if (end >= s.length()) {
            return false;
        }
        char c = s.charAt(end);
        return isWord(c) || (isJoiner(c) && end + 1 < s.length() && isWord(s.charAt(end + 1)));
    }

    private static boolean delimitedBefore(String s, int at) {
        return at == 0 || isDelimiter(s.charAt(at - 1));
    }

    private static boolean delimitedAfter(String s, int end) {
        return end >= s.length() || isDelimiter(s.charAt(end));
    }

    private static boolean isDelimiter(char c) {
        return Character.isWhitespace(c) || "'\"`=:@,;()[]{}".indexOf(c) >= 0;
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isJoiner(char c) {
        return c == '.' || c == '-';
    }
}
