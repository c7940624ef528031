package dev.pig.cli;

import java.nio.file.Path;
import java.util.List;

import dev.pig.core.model.ModelLoader;

/**
 * Loads and validates an inventory several times in one JVM and prints the time per load and
 * the heap it took. Run by {@code bench/inventory.sh}; a benchmark, not a test.
 */
public final class InventoryBench {
    private InventoryBench() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Runtime rt = Runtime.getRuntime();
        long first = 0;
        long best = Long.MAX_VALUE;
        int hosts = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            ModelLoader.Loaded l = ModelLoader.load(file, List.of());
            long took = System.nanoTime() - t;
            hosts = l.model().nodes().size();
            if (i == 0) {
                first = took;
            }
            best = Math.min(best, took);
        }
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        ModelLoader.Loaded kept = ModelLoader.load(file, List.of());
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("in-process: %d hosts: first load %.0f ms, best of %d %.1f ms, model retains %.1f MiB%n",
                hosts, first / 1e6, runs, best / 1e6, Math.max(0, after - before) / 1048576.0);
        if (kept.model().nodes().isEmpty()) {
            System.out.println("(empty model)");
        }
    }
}
