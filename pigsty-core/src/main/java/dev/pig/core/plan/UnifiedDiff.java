package dev.pig.core.plan;

import java.util.ArrayList;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;

/**
 * What a file change will do, as a unified diff with three lines of context, computed by
 * java-diff-utils. Written here is only what the library leaves to its caller: naming a new file
 * {@code /dev/null}, marking a last line without a newline, and a bound on the work for very large
 * files.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;
    /**
     * Above this many line pairs a change is shown as "replace everything": Myers' algorithm takes
     * time proportional to the lines times the differences, seconds for two large unrelated files,
     * and this diff is only for reading.
     */
    private static final long MAX_CELLS = 4_000_000;
    private static final String NO_NEWLINE = "\\ No newline at end of file";

    private UnifiedDiff() {
    }

    /** The diff of two texts, or an empty string when they are equal. */
    public static String diff(String path, String before, String after) {
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        Patch<String> patch;
        if ((long) a.size() * b.size() > MAX_CELLS) {
            patch = new Patch<>();
            patch.addDelta(new ChangeDelta<>(new Chunk<>(0, a), new Chunk<>(0, b)));
        } else {
            patch = DiffUtils.diff(a, b);
        }
        StringBuilder out = new StringBuilder();
        for (String line : UnifiedDiffUtils.generateUnifiedDiff(before.isEmpty() ? "/dev/null" : path, path, a, patch,
                CONTEXT)) {
            if (line.endsWith("\n")) {
                out.append(line, 0, line.length() - 1).append('\n').append(NO_NEWLINE).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The lines of a text. A last line without a newline keeps a {@code \n} of its own, which no
     * other line can have, so that it differs from the same line with one and is marked when shown.
     */
    private static List<String> lines(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        boolean complete = s.endsWith("\n");
        String[] parts = (complete ? s.substring(0, s.length() - 1) : s).split("\n", -1);
        List<String> out = new ArrayList<>(List.of(parts));
        if (!complete) {
            out.set(out.size() - 1, out.get(out.size() - 1) + "\n");
        }
        return out;
    }
}
