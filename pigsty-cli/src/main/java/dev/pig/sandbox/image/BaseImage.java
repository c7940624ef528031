package dev.pig.sandbox.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.pig.core.diag.PigException;
import dev.pig.sandbox.system.HostFiles;
import dev.pig.sandbox.system.HostParsers;
import dev.pig.sandbox.system.Procs;
import dev.pig.sandbox.system.Tools;

/**
 * The Debian root filesystem of one release that the overlays of that release's nodes sit on,
 * built once with debootstrap and cached beside the images of other releases ({@link ImageCache}).
 * The cache directory is named by a hash of the suite and package list, so changing either builds
 * a new image; an image is built in a temporary directory and renamed into place only when
 * complete, so a killed build never leaves a half image that looks usable.
 */
public final class BaseImage {
    /** What every node gets, whatever its release: these packages have the same names in each. */
    public static final List<String> PACKAGES = List.of("systemd", "systemd-sysv", "dbus", "openssh-server",
            "iproute2", "ca-certificates", "sudo", "python3", "procps", "curl", "gnupg", "less");

    private final Path cache;
    private final AptSources sources;
    private final String suite;

    /**
     * The image of {@code suite} (a codename of {@code os-releases.yml}) in {@code cache}, fetched
     * from {@code sources}' mirror.
     */
    BaseImage(Path cache, AptSources sources, String suite) {
        this.cache = cache;
        this.sources = sources;
        this.suite = suite;
    }

    /** The Debian suite, its release's codename. */
    public String suite() {
        return suite;
    }

    /** The cache key of an image of this suite and these packages. */
    public static String key(String suite, List<String> packages) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("minbase\n" + suite + "\n" + String.join("\n", packages.stream().sorted().toList()))
                    .getBytes(StandardCharsets.UTF_8));
            return suite + "-" + HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String key() {
        return key(suite, PACKAGES);
    }

    /** The image's root filesystem, whether or not it is built yet. */
    public Path rootfs() {
        return cache.resolve(key()).resolve("rootfs");
    }

    public boolean exists() {
        return Files.isDirectory(rootfs().resolve("usr/lib/systemd"));
    }

    /** The image, built first if it is not cached. */
    public Path ensure(Consumer<String> progress) {
        if (exists()) {
            return rootfs();
        }
        try {
            Files.createDirectories(cache);
            removeStaleBuilds();
            Path tmp = Files.createTempDirectory(cache, ".build-" + key() + "-",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
            Path rootfs = tmp.resolve("rootfs");
            progress.accept("building the " + suite + " base image from " + sources.mirror()
                    + " (once; cached in " + cache + ")");
            long t0 = System.nanoTime();
            List<String> cmd = new ArrayList<>(List.of("debootstrap", "--variant=minbase",
                    "--include=" + String.join(",", PACKAGES), suite, rootfs.toString(), sources.mirror()));
            Tools.Result r = Tools.run(cmd, 1800);
            if (!r.ok()) {
                Path log = rootfs.resolve("debootstrap/debootstrap.log");
                String detail = Files.isRegularFile(log) ? HostParsers.tail(Files.readString(log), 15) : r.err().strip();
                HostFiles.removeTree(tmp);
                throw new PigException(PigException.Kind.FAILED, "debootstrap of " + suite + " from "
                        + sources.mirror() + " failed (exit " + r.exit() + "):\n" + detail);
            }
            configure(rootfs);
            Files.writeString(tmp.resolve("image.properties"), "suite=" + suite + "\nmirror=" + sources.mirror()
                    + "\npackages=" + String.join(",", PACKAGES) + "\n");
            Files.move(tmp, cache.resolve(key()), StandardCopyOption.ATOMIC_MOVE);
            progress.accept(String.format("%s base image ready in %.0f s", suite, (System.nanoTime() - t0) / 1e9));
            return rootfs();
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "cannot build the " + suite + " base image in " + cache + ": " + e.getMessage(), e);
        }
    }

    /** What all nodes share; anything per node is written into the node's overlay instead. */
    private void configure(Path rootfs) throws IOException {
        // host keys and machine id must differ per node, so the image has none
        try (Stream<Path> s = Files.list(rootfs.resolve("etc/ssh"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("ssh_host_")).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(rootfs.resolve("etc/machine-id"), "");
        Files.deleteIfExists(rootfs.resolve("var/lib/dbus/machine-id"));
        Files.writeString(rootfs.resolve("etc/apt/sources.list"), sources.sourcesList(suite));
        // a node has no console login; waiting for one on /dev/console only slows the boot
        Path wants = rootfs.resolve("etc/systemd/system/getty.target.wants");
        if (Files.isDirectory(wants)) {
            try (Stream<Path> s = Files.list(wants)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(rootfs.resolve("root/.ssh"));
    }

    /** Leftovers of builds that were killed. */
    private void removeStaleBuilds() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".build-")).toList()) {
                HostFiles.unmountUnder(p); // debootstrap mounts /proc and /sys in its target
                HostFiles.removeTree(p);
            }
        }
    }
}
