package dev.pig.core.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs one function per host on at most {@code forks} threads, keeping input order. */
public final class Parallel {
    /**
     * Threads for work that only computes (planning, key generation): as many as this machine has
     * cores, and at least 2, so an item that waits on nothing never waits on another.
     */
    public static final int CORES = Math.max(2, Runtime.getRuntime().availableProcessors());

    private Parallel() {
    }

    /**
     * A pool of {@code threads} daemon threads (at least one) named {@code pig-fork}: a run stopped
     * by a signal does not wait for them. The caller shuts it down.
     */
    static ExecutorService pool(int threads) {
        return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "pig-fork");
            t.setDaemon(true);
            return t;
        });
    }

    public static <T, R> List<R> map(List<T> items, int forks, Function<T, R> f) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService ex = pool(Math.min(forks, items.size()));
        try {
            List<Future<R>> fs = new ArrayList<>();
            for (T item : items) {
                fs.add(ex.submit(() -> f.apply(item)));
            }
            List<R> out = new ArrayList<>();
            for (Future<R> fu : fs) {
                out.add(fu.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            ex.shutdownNow();
        }
    }
}
