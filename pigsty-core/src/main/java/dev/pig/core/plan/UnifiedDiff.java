package dev.pig.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A small unified diff (LCS on lines, three lines of context), enough to show what a file change
 * will do. Very large inputs fall back to "replace everything" rather than using quadratic memory.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;
    private static final long MAX_CELLS = 4_000_000;

    private UnifiedDiff() {
    }

    /** The diff of two texts, or an empty string when they are equal. */
    public static String diff(String path, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        if (a.equals(b)) {
            return "";
        }
        List<Op> ops = script(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(before.isEmpty() ? "/dev/null" : path).append('\n');
        out.append("+++ ").append(path).append('\n');
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind == ' ') {
                i++;
                continue;
            }
            // a hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
            // that is less than 2*CONTEXT unchanged lines away
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < ops.size()) {
                if (ops.get(end).kind != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = ops.get(start).aLine;
            int bStart = ops.get(start).bLine;
            int aLen = 0;
            int bLen = 0;
            StringBuilder body = new StringBuilder();
            for (int k = start; k < end; k++) {
                Op op = ops.get(k);
                body.append(op.kind).append(op.text).append('\n');
                if (op.kind != '+') {
                    aLen++;
                }
                if (op.kind != '-') {
                    bLen++;
                }
            }
            out.append("@@ -").append(range(aStart, aLen)).append(" +").append(range(bStart, bLen)).append(" @@\n");
            out.append(body);
            i = end;
        }
        if (!before.isEmpty() && !before.endsWith("\n") || !after.isEmpty() && !after.endsWith("\n")) {
            out.append("\\ No newline at end of file\n");
        }
        return out.toString();
    }

    private static String range(int start, int len) {
        // unified diff counts lines from 1, and names the line before an empty range
        return (len == 0 ? start : start + 1) + "," + len;
    }

    private record Op(char kind, String text, int aLine, int bLine) {
    }

    private static List<Op> script(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        List<Op> ops = new ArrayList<>();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                ops.add(new Op('-', a.get(i), i, 0));
            }
            for (int j = 0; j < m; j++) {
                ops.add(new Op('+', b.get(j), n, j));
            }
            return ops;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i), i++, j++));
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', a.get(i), i++, j));
            } else {
                ops.add(new Op('+', b.get(j), i, j++));
            }
        }
        return ops;
    }

    private static List<String> lines(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return List.of(t.split("\n", -1));
    }
}
