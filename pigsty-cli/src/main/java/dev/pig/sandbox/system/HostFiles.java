package dev.pig.sandbox.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

/** The host's mounts and files as the sandbox reads and removes them. */
public final class HostFiles {
    private HostFiles() {
    }

    /** Unmounts every mount at or below a directory, deepest first; returns how many. */
    public static int unmountUnder(Path dir) {
        List<String> points;
        try {
            points = new ArrayList<>(mountPoints());
        } catch (IOException e) {
            return 0;
        }
        String prefix = dir + "/";
        points.removeIf(m -> !m.startsWith(prefix) && !m.equals(dir.toString()));
        Collections.reverse(points);
        int n = 0;
        for (String m : new LinkedHashSet<>(points)) {
            Tools.Result r = Tools.run(List.of("umount", m));
            if (!r.ok()) {
                // a process we could not see still holds it: detach now, the kernel frees it later
                Tools.check(List.of("umount", "-l", m));
            }
            n++;
        }
        return n;
    }

    /** Whether something is mounted at exactly this path; false when the mounts cannot be read. */
    public static boolean mounted(Path p) {
        try {
            return mountPoints().contains(p.toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** The host's mount points, in mount order. */
    public static List<String> mountPoints() throws IOException {
        return HostParsers.mountPoints(Files.readString(Path.of("/proc/mounts")));
    }

    /** rm -rf that never crosses into another file system (a mounted node, say). */
    public static void removeTree(Path p) {
        Tools.check(List.of("rm", "-rf", "--one-file-system", p.toString()));
    }

    /** The last lines of a log, for an error message, or why there are none. */
    public static String tailOf(Path log) {
        try {
            return Files.isRegularFile(log)
                    ? HostParsers.tail(new String(Files.readAllBytes(log), StandardCharsets.UTF_8), 20)
                    : "(no " + log + ")";
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }
}
