package dev.pig.core.inventory;

import java.util.function.IntFunction;

import dev.pig.core.diag.Diagnostics;

/**
 * Parse time of YAML text of growing size, in one JVM: a flat list of values, a long quoted
 * value, and hosts in groups (an inventory's shape). Each line prints the size, the time and how
 * the time grew against the size before it: linear parsing keeps the ratio near the size ratio.
 * Run by {@code bench/yaml-limits.sh}; a benchmark, not a test.
 */
public final class YamlBench {
    private YamlBench() {
    }

    public static void main(String[] args) {
        run("hosts", n -> hosts(n / 60), new int[] {125_000, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000});
        run("scalar", n -> "a: \"" + "x".repeat(n) + "\"\n", new int[] {62_500, 125_000, 250_000, 500_000, 1_000_000});
        run("list", YamlBench::list, new int[] {62_500, 125_000, 250_000, 500_000, 1_000_000});
    }

    private static void run(String shape, IntFunction<String> gen, int[] sizes) {
        double prevMs = 0;
        int prevChars = 0;
        for (int size : sizes) {
            String text = gen.apply(size);
            parse(text); // warm-up
            long best = Long.MAX_VALUE;
            String result = "";
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                result = parse(text);
                best = Math.min(best, System.nanoTime() - t);
            }
            double ms = best / 1e6;
            String growth = prevChars == 0 ? "" : String.format("  (x%.1f size, x%.1f time)",
                    (double) text.length() / prevChars, ms / prevMs);
            System.out.printf("%-6s %9d chars %8.1f ms%s%s%n", shape, text.length(), ms, growth, result);
            prevMs = ms;
            prevChars = text.length();
        }
    }

    private static String parse(String text) {
        Diagnostics d = new Diagnostics();
        YamlTree.parse("bench.yml", text, d);
        return d.hasErrors() ? "  refused: " + d.errors().get(0).summary() : "";
    }

    private static String hosts(int n) {
        StringBuilder b = new StringBuilder("all:\n  children:\n");
        for (int i = 0; i < n; i++) {
            if (i % 3 == 0) {
                b.append("    pg-c").append(i / 3).append(":\n      vars: { pg_cluster: pg-c").append(i / 3)
                        .append(" }\n      hosts:\n");
            }
            b.append("        10.").append(i / 65536 % 256).append('.').append(i / 256 % 256).append('.').append(i % 256)
                    .append(": { pg_seq: ").append(i % 3 + 1).append(", pg_role: replica }\n");
        }
        return b.toString();
    }

    private static String list(int chars) {
        StringBuilder b = new StringBuilder("a: [");
        while (b.length() < chars) {
            b.append("xy,");
        }
        return b.append("z]\n").toString();
    }
}
