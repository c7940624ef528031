package dev.pig.sandbox.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.pig.core.diag.PigException;
import dev.pig.core.os.OsReleases;
import dev.pig.sandbox.system.HostFiles;
import dev.pig.sandbox.system.Procs;

/**
 * The base images of every release in one cache directory, each under its own key
 * ({@code bookworm-<hash>}, {@code trixie-<hash>}), so nodes of several releases boot side by
 * side and a release's image is built only when first needed.
 *
 * <pre>
 * ImageCache cache = new ImageCache(Path.of("/var/cache/pig/sandbox"), AptSources.ofHost(Path.of("/etc/apt")));
 * Path rootfs = cache.image("trixie").ensure(System.out::println);
 * </pre>
 */
public final class ImageCache {
    private final Path dir;
    private final AptSources sources;
    private final Map<String, BaseImage> images = new ConcurrentHashMap<>();

    public ImageCache(Path dir, AptSources sources) {
        this.dir = dir;
        this.sources = sources;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The image of a release pig knows ({@code os-releases.yml}), built or not.
     *
     * @throws PigException (invalid input) for a release pig has no data for
     */
    public BaseImage image(String release) {
        if (OsReleases.builtIn().find(release).isEmpty()) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "the sandbox has no base image of '" + release
                    + "'; sandbox_release is one of " + String.join(", ", OsReleases.builtIn().codenames()));
        }
        return images.computeIfAbsent(release, r -> new BaseImage(dir, sources, r));
    }

    /**
     * Stops a build that a killed {@code up} left running (debootstrap and its children), of any
     * release; returns whether there was one. What it mounted in its target stays for the caller
     * to unmount.
     */
    public boolean stopBuilds() {
        List<Long> builds = Procs.find("debootstrap", dir.toString());
        if (builds.isEmpty()) {
            return false;
        }
        List<Long> tree = new ArrayList<>(builds);
        for (long b : builds) {
            ProcessHandle.of(b).ifPresent(ph -> ph.descendants().forEach(d -> tree.add(d.pid())));
        }
        Procs.kill(tree);
        return true;
    }

    /** Removes the whole cache: every release's image and every partial build. */
    public void purge() {
        if (Files.exists(dir)) {
            HostFiles.unmountUnder(dir);
            HostFiles.removeTree(dir);
        }
    }
}
