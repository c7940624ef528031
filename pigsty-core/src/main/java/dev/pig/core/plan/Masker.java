package dev.pig.core.plan;

import java.util.Collection;

import dev.pig.core.model.Secret;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces known secret values with {@code ***} in text shown to people: commands, diffs, error
 * output. Values shorter than four characters are not masked: they would blank out ordinary text
 * and are not secrets worth the name.
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
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }
}
