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

/** What a node's disk gets from this machine besides its own files, and which image it was made over. */
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

    static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIBegress\n-----END CERTIFICATE-----\n";

    @Test
    void a_node_trusts_the_authorities_this_machine_added_once_however_often_it_boots(@TempDir Path dir) throws Exception {
        Path local = Files.createDirectories(dir.resolve("local"));
        Files.writeString(local.resolve("egress-ca.crt"), PEM);
        Files.writeString(local.resolve("README"), "not a certificate\n");
        Path root = dir.resolve("root");
        Path bundle = root.resolve("etc/ssl/certs/ca-certificates.crt");
        Files.createDirectories(bundle.getParent());
        Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\nMIIBdebian\n-----END CERTIFICATE-----\n");
        NodeDisk.trustLocalAuthorities(local, root);
        NodeDisk.trustLocalAuthorities(local, root);
        String after = Files.readString(bundle);
        assertTrue(after.startsWith("-----BEGIN CERTIFICATE-----\nMIIBdebian\n"), after);
        assertEquals(1, after.split("MIIBegress", -1).length - 1, "added once: " + after);
        assertEquals(PEM, Files.readString(root.resolve("usr/local/share/ca-certificates/pig-sandbox-egress-ca.crt")));
        assertTrue(Files.notExists(root.resolve("usr/local/share/ca-certificates/pig-sandbox-README")));
    }
}
