package dev.pig.core.plan;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.pig.core.model.Secret;

/**
 * Replaces known secret values with {@code ***} in text shown to people: commands, diffs, error
 * output. Values shorter than four characters are not masked: they would blank out ordinary text
 * and are not secrets worth the name.
 *
 * <p>Only whole tokens are masked. A secret is part of a longer word when a letter, digit or
 * {@code _} touches it, or a {@code .} or {@code -} that joins it to one: with the password
 * {@code pigsty}, {@code i.pigsty} and {@code pigsty-meta} stay as they are, while
 * {@code root:pigsty@host}, {@code --password=pigsty} and {@code 'pigsty'} are masked.
 */
public final class Masker {
    public static final String MASK = "***";
    private static final Masker NONE = new Masker(List.of());

    private final List<String> values;

    public Masker(Collection<String> secretValues) {
        // longest first, so a secret containing another is masked whole
        this.values = secretValues.stream().filter(v -> v != null && v.length() >= 4).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
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
        StringBuilder b = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            int end = at + secret.length();
            if (joinedBefore(text, at) || joinedAfter(text, end)) {
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

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isJoiner(char c) {
        return c == '.' || c == '-';
    }
}
