package dev.pig.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

import dev.pig.sandbox.image.BaseImage;
import dev.pig.sandbox.system.HostFiles;
import dev.pig.sandbox.system.Tools;

/**
 * Each node's disk: an overlay over the base image of its release ({@code upper}, {@code work},
 * mounted at {@code merged}), and the files written into it that make it this node (hostname,
 * hosts, machine id, host key, login key, package proxy). The key of the image a disk was made
 * over is kept beside it ({@code image}), with any copy of it.
 */
final class NodeDisk {
    /** The file beside a disk naming the image it was made over. */
    static final String IMAGE_FILE = "image";

    private final SandboxLayout layout;
    private final SandboxKeys keys;

    NodeDisk(SandboxLayout layout, SandboxKeys keys) {
        this.layout = layout;
        this.keys = keys;
    }

    /** Mounts a node's disk over {@code image}, built, and writes the node's own files into it. */
    void prepare(SandboxHost h, SandboxNetwork net, BaseImage image, List<String> changes) throws IOException {
        Path rootfs = image.rootfs();
        Path dir = layout.node(h);
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        Files.createDirectories(dir);
        Path imageFile = dir.resolve(IMAGE_FILE);
        if (Files.isDirectory(upper) && !madeOver(imageFile, image)) {
            // the disk was made over another base image (a new package list, another release):
            // its changes do not apply to this one
            HostFiles.removeTree(upper);
            HostFiles.removeTree(work);
            changes.add("reset the disk of " + h.name() + " (new base image " + image.key() + ")");
        }
        // a disk that has run before keeps what the node made of itself: /etc/hosts and the
        // hostname are the NODE module's once it has run, and a rebooted VM keeps them too
        boolean fresh = !Files.isDirectory(upper);
        Path root = layout.merged(h);
        Files.createDirectories(upper);
        Files.createDirectories(work);
        Files.createDirectories(root);
        Files.writeString(imageFile, image.key() + "\n");
        Tools.check(List.of("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + rootfs + ",upperdir=" + upper + ",workdir=" + work, root.toString()));

        Path hostKey = keys.ensureHostKey(h);
        writeFile(root.resolve("etc/ssh/ssh_host_ed25519_key"), Files.readString(hostKey), "rw-------");
        writeFile(root.resolve("etc/ssh/ssh_host_ed25519_key.pub"), Files.readString(SandboxKeys.pub(hostKey)), "rw-r--r--");
        // sshd would warn about the RSA and ECDSA keys it does not find
        writeFile(root.resolve("etc/ssh/sshd_config.d/pig-sandbox.conf"),
                "HostKey /etc/ssh/ssh_host_ed25519_key\n", "rw-r--r--");

        Path machineId = dir.resolve("machine-id");
        if (!Files.isRegularFile(machineId)) {
            Files.writeString(machineId, UUID.randomUUID().toString().replace("-", "") + "\n");
        }
        writeFile(root.resolve("etc/machine-id"), Files.readString(machineId), "r--r--r--");
        if (fresh || !Files.exists(root.resolve("etc/hostname"))) {
            writeFile(root.resolve("etc/hostname"), h.name() + "\n", "rw-r--r--");
        }
        if (fresh || !Files.exists(root.resolve("etc/hosts"))) {
            writeFile(root.resolve("etc/hosts"), net.etcHosts(h), "rw-r--r--");
        }
        Path ssh = root.resolve("root/.ssh");
        Files.createDirectories(ssh);
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        writeFile(ssh.resolve("authorized_keys"), Files.readString(SandboxKeys.pub(layout.key())), "rw-------");
        trustLocalAuthorities(LOCAL_AUTHORITIES, root);
        writeFile(root.resolve("etc/apt/apt.conf.d/01pig-sandbox-proxy"),
                "Acquire::http::Proxy \"" + net.proxyUrl() + "\";\n"
                        + "Acquire::https::Proxy \"" + net.proxyUrl() + "\";\n", "rw-r--r--");
    }

    /** Where this machine keeps the authorities it added to its own trust store. */
    static final Path LOCAL_AUTHORITIES = Path.of("/usr/local/share/ca-certificates");

    /**
     * The node trusts the authorities this machine added to its own trust store: the nodes reach
     * out through this machine, and where its egress inspects TLS, the certificates a node sees
     * (Maven Central's, fetching S3Proxy) are signed by one of them. They go where
     * update-ca-certificates finds them, and into the bundle it made, so they hold before and after
     * it runs again.
     */
    static void trustLocalAuthorities(Path authorities, Path root) throws IOException {
        if (!Files.isDirectory(authorities)) {
            return;
        }
        Path bundle = root.resolve("etc/ssl/certs/ca-certificates.crt");
        String have = Files.isRegularFile(bundle, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readString(bundle) : null;
        StringBuilder add = new StringBuilder();
        try (var files = Files.list(authorities)) {
            for (Path ca : files.filter(f -> f.getFileName().toString().endsWith(".crt") && Files.isRegularFile(f)).sorted().toList()) {
                String pem = Files.readString(ca);
                if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                    continue;
                }
                writeFile(root.resolve("usr/local/share/ca-certificates/pig-sandbox-" + ca.getFileName()), pem, "rw-r--r--");
                if (have != null && !have.contains(pem.strip())) {
                    add.append(pem.endsWith("\n") ? pem : pem + "\n");
                }
            }
        }
        if (add.length() > 0) {
            writeFile(bundle, have + (have.endsWith("\n") ? "" : "\n") + add, "rw-r--r--");
        }
    }

    /** Whether the disk beside {@code imageFile} was made over {@code image}. */
    static boolean madeOver(Path imageFile, BaseImage image) throws IOException {
        return Files.isRegularFile(imageFile) && Files.readString(imageFile).strip().equals(image.key());
    }

    private static void writeFile(Path p, String text, String perms) throws IOException {
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p); // never write through a symlink the image might have there
        Files.writeString(p, text, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    /** Where a node's disk is kept under a snapshot name. */
    Path snapshotDir(SandboxHost h, String name) {
        return layout.node(h).resolve("snapshot-" + name);
    }

    /** Copies a stopped node's changes to the image aside, replacing an older copy of that name. */
    void snapshot(SandboxHost h, String name) {
        Path snap = snapshotDir(h, name);
        Path tmp = layout.node(h).resolve("snapshot-" + name + ".new");
        HostFiles.removeTree(tmp);
        Tools.check(List.of("mkdir", "-p", tmp.toString()));
        // -a keeps owners, modes, devices (overlayfs whiteouts) and xattrs (opaque directories)
        Tools.check(List.of("cp", "-a", "--reflink=auto", layout.node(h).resolve("upper").toString(), tmp.resolve("upper").toString()));
        Path imageFile = layout.node(h).resolve(IMAGE_FILE);
        if (Files.isRegularFile(imageFile)) {
            Tools.check(List.of("cp", "-a", imageFile.toString(), tmp.resolve(IMAGE_FILE).toString()));
        }
        HostFiles.removeTree(snap);
        Tools.check(List.of("mv", "-T", tmp.toString(), snap.toString()));
    }

    /** Gives a stopped node the disk kept under {@code name}; false when there is none. */
    boolean restore(SandboxHost h, String name) {
        Path snap = snapshotDir(h, name).resolve("upper");
        if (!Files.isDirectory(snap)) {
            return false;
        }
        reset(h);
        Tools.check(List.of("cp", "-a", "--reflink=auto", snap.toString(), layout.node(h).resolve("upper").toString()));
        // the copy is of a disk over this image: if the node's release changed since, up resets it
        Path imageFile = snapshotDir(h, name).resolve(IMAGE_FILE);
        if (Files.isRegularFile(imageFile)) {
            Tools.check(List.of("cp", "-a", imageFile.toString(), layout.node(h).resolve(IMAGE_FILE).toString()));
        }
        return true;
    }

    /**
     * Deletes a stopped node's changes to the image, keeping its host key and machine id; returns
     * whether it had any.
     */
    boolean reset(SandboxHost h) {
        Path dir = layout.node(h);
        boolean had = false;
        for (String d : List.of("upper", "work")) {
            if (Files.isDirectory(dir.resolve(d))) {
                HostFiles.removeTree(dir.resolve(d));
                had = true;
            }
        }
        return had;
    }
}
