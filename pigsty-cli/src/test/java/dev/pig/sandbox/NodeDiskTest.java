package dev.pig.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a node's disk gets from this machine besides its own files. */
class NodeDiskTest {
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
