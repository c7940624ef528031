package dev.pig.core.ssh;

import java.util.Collection;
import java.util.stream.Collectors;

/** POSIX shell quoting, so values reach the remote command exactly as given. */
public final class Shell {
    private Shell() {
    }

    /** Quotes a word for {@code sh}; plain words are left alone so commands stay readable. */
    public static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    public static String join(Collection<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
