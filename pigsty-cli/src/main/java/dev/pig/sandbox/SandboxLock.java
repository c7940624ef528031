package dev.pig.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.pig.core.diag.PigException;
import dev.pig.sandbox.system.Tools;

/**
 * One lock for every sandbox command, so two of them never work on the same nodes at once: a
 * file lock between processes and, since a JVM holds file locks for all its threads, a semaphore
 * between threads (a test's shutdown hook runs beside the test's own {@code up}). Held while a
 * command runs; closing it releases the lock, and so does the process dying.
 */
final class SandboxLock implements AutoCloseable {
    private static final Semaphore IN_PROCESS = new Semaphore(1);

    private final FileChannel channel;

    private SandboxLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Waits up to three minutes for the lock file in the state directory. */
    static SandboxLock acquire(Path state) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        try {
            if (!IN_PROCESS.tryAcquire(180, TimeUnit.SECONDS)) {
                throw busy(state);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PigException(PigException.Kind.FAILED, "interrupted while waiting for the sandbox lock");
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(state);
            ch = FileChannel.open(state.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (ch.tryLock() == null) {
                if (System.nanoTime() > deadline) {
                    throw busy(state);
                }
                Tools.sleep(250);
            }
            return new SandboxLock(ch);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            IN_PROCESS.release();
            throw e;
        }
    }

    private static PigException busy(Path state) {
        return new PigException(PigException.Kind.UNAVAILABLE, "another pig sandbox command is running"
                + " (it holds " + state.resolve(".lock") + "); wait for it or stop it");
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            IN_PROCESS.release();
        }
    }
}
