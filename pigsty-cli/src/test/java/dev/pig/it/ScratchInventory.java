package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sandbox inventory with edits, as {@code pigsty.yml} in a directory of its own whose
 * {@code files/} is the example's, so baselines resolve as they do for the example. A class
 * makes one, writes it as often as it needs, and closes it in its {@code @AfterAll}.
 *
 * <pre>{@code
 * static final ScratchInventory SCRATCH = new ScratchInventory("pgsql-provision");
 * Path inv = SCRATCH.write(Map.of(line, line + added));
 * }</pre>
 */
final class ScratchInventory implements AutoCloseable {
    private final String prefix;
    private Path dir;

    ScratchInventory(String prefix) {
        this.prefix = prefix;
    }

    /** The sandbox inventory with each key replaced by its value (every key must be in it), written out. */
    synchronized Path write(Map<String, String> edits) throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory(prefix);
            Files.createSymbolicLink(dir.resolve("files"), SandboxExtension.INVENTORY.getParent().resolve("files"));
        }
        String text = Files.readString(SandboxExtension.INVENTORY);
        for (Map.Entry<String, String> e : edits.entrySet()) {
            assertTrue(text.contains(e.getKey()), "the sandbox inventory has no line " + e.getKey());
            text = text.replace(e.getKey(), e.getValue());
        }
        return Files.writeString(path(), text);
    }

    /** Where the last {@link #write} put it. */
    Path path() {
        return dir.resolve("pigsty.yml");
    }

    @Override
    public synchronized void close() throws IOException {
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("pigsty.yml"));
            Files.deleteIfExists(dir.resolve("files"));
            Files.deleteIfExists(dir);
            dir = null;
        }
    }
}
