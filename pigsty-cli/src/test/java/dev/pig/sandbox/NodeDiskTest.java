package dev.pig.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.sandbox.image.AptSources;
import dev.pig.sandbox.image.ImageCache;

class NodeDiskTest {
    private final ImageCache cache = new ImageCache(Path.of("/var/cache/pig/sandbox"),
            new AptSources(AptSources.DEFAULT_MIRROR, Optional.empty()));

    @TempDir
    Path tmp;

    @Test
    void a_disk_made_over_one_release_is_not_made_over_another() throws IOException {
        Path imageFile = tmp.resolve(NodeDisk.IMAGE_FILE);
        Files.writeString(imageFile, cache.image("bookworm").key() + "\n");
        assertTrue(NodeDisk.madeOver(imageFile, cache.image("bookworm")));
        assertFalse(NodeDisk.madeOver(imageFile, cache.image("trixie")), "a node moved to trixie gets a fresh disk");
    }

    @Test
    void a_disk_that_names_no_image_is_made_over_none() throws IOException {
        assertFalse(NodeDisk.madeOver(tmp.resolve(NodeDisk.IMAGE_FILE), cache.image("bookworm")));
    }

    @Test
    void each_release_of_the_hosts_is_built_once_in_the_order_they_first_appear() {
        assertEquals(List.of("trixie", "bookworm"), Sandbox.releases(List.of(
                new SandboxHost("a", "10.10.10.21", "trixie"), new SandboxHost("b", "10.10.10.22", "bookworm"),
                new SandboxHost("c", "10.10.10.23", "trixie"))));
    }
}
