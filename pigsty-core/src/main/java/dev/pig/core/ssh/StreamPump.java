package dev.pig.core.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads stdout and stderr (and writes stdin) on their own threads, so a command that fills one
 * pipe while we wait on the other can never deadlock.
 */
final class StreamPump {
    private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pig-io");
        t.setDaemon(true);
        return t;
    });

    private StreamPump() {
    }

    static void background(Runnable r) {
        IO.submit(r);
    }

    static Future<byte[]> drain(InputStream in) {
        return IO.submit(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
        });
    }

    static Future<?> feed(OutputStream out, byte[] data) {
        if (data == null) {
            try {
                out.close();
            } catch (IOException e) {
                // the command may have exited without reading its input: that is its business
            }
            return CompletableFuture.completedFuture(null);
        }
        return IO.submit(() -> {
            try (out) {
                out.write(data);
                out.flush();
            } catch (IOException e) {
                // same as above: a command that closes stdin early is not a transport failure
                if (e.getMessage() != null && e.getMessage().contains("closed")) {
                    return null;
                }
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }
}
