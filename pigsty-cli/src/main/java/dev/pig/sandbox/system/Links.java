package dev.pig.sandbox.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.pig.core.diag.PigException;

/** The host's network links and namespaces, read from {@code /sys} and {@code /run} and deleted with {@code ip}. */
public final class Links {
    private Links() {
    }

    public static boolean exists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    /** Every link of the host, by name. */
    public static List<String> list() {
        File[] f = new File("/sys/class/net").listFiles();
        return f == null ? List.of() : Stream.of(f).map(File::getName).sorted().toList();
    }

    /**
     * Deletes a link if it exists; returns whether it did. Losing a race is fine: deleting a veth
     * end or a namespace removes the peer asynchronously.
     */
    public static boolean delete(String name) {
        if (!exists(name)) {
            return false;
        }
        Tools.Result r = Tools.run(List.of("ip", "link", "del", name));
        if (!r.ok() && exists(name)) {
            throw new PigException(PigException.Kind.FAILED, "`ip link del " + name + "` failed: " + r.err().strip());
        }
        return r.ok();
    }

    /** The bridge a link is a port of, or "" if none. */
    private static String bridgeOf(String name) {
        try {
            return Files.readSymbolicLink(Path.of("/sys/class/net", name, "master")).getFileName().toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether a link is a port of this bridge and administratively up. */
    public static boolean upOnBridge(String name, String bridge) {
        Path link = Path.of("/sys/class/net", name);
        boolean onBridge = Files.exists(link.resolve("brport")) && bridgeOf(name).equals(bridge);
        return onBridge && HostParsers.linkUp(readOr(link.resolve("flags"), "0x0"));
    }

    private static String readOr(Path p, String fallback) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return fallback;
        }
    }

    public static boolean netnsExists(String name) {
        return Files.exists(Path.of("/run/netns", name));
    }

    /** Every named network namespace of the host. */
    public static List<String> netnsList() {
        File[] f = new File("/run/netns").listFiles();
        return f == null ? List.of() : Stream.of(f).map(File::getName).sorted().toList();
    }

    /** Deletes a named network namespace if it exists; returns whether it did. */
    public static boolean deleteNetns(String name) {
        if (!netnsExists(name)) {
            return false;
        }
        Tools.Result r = Tools.run(List.of("ip", "netns", "del", name));
        if (!r.ok() && netnsExists(name)) {
            throw new PigException(PigException.Kind.FAILED, "`ip netns del " + name + "` failed: " + r.err().strip());
        }
        return r.ok();
    }
}
