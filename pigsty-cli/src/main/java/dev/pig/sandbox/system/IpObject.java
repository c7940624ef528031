package dev.pig.sandbox.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.pig.core.diag.PigException;

/**
 * The host's network links and named network namespaces: each kind is seen in its own directory
 * ({@code /sys/class/net}, {@code /run/netns}) and deleted with {@code ip link del} or
 * {@code ip netns del}.
 */
public enum IpObject {
    LINK("/sys/class/net", "link"),
    NETNS("/run/netns", "netns");

    private final String dir;
    private final String ipCommand;

    IpObject(String dir, String ipCommand) {
        this.dir = dir;
        this.ipCommand = ipCommand;
    }

    public boolean exists(String name) {
        return Files.exists(Path.of(dir, name));
    }

    /** Every one of this kind on the host, by name, sorted. */
    public List<String> list() {
        File[] f = new File(dir).listFiles();
        return f == null ? List.of() : Stream.of(f).map(File::getName).sorted().toList();
    }

    /**
     * Deletes one if it exists; returns whether it did. Losing a race is fine: deleting a veth end
     * or a namespace removes the peer asynchronously, so only a failure that leaves it there fails.
     */
    public boolean delete(String name) {
        if (!exists(name)) {
            return false;
        }
        List<String> command = List.of("ip", ipCommand, "del", name);
        Tools.Result r = Tools.run(command);
        if (!r.ok() && exists(name)) {
            throw new PigException(PigException.Kind.FAILED, "`" + String.join(" ", command) + "` failed: "
                    + r.err().strip());
        }
        return r.ok();
    }

    /** Whether a link is a port of this bridge and administratively up. */
    public static boolean upOnBridge(String link, String bridge) {
        Path sys = Path.of(LINK.dir, link);
        boolean onBridge = Files.exists(sys.resolve("brport")) && bridgeOf(sys).equals(bridge);
        return onBridge && HostParsers.linkUp(readOr(sys.resolve("flags"), "0x0"));
    }

    private static String bridgeOf(Path sys) {
        try {
            return Files.readSymbolicLink(sys.resolve("master")).getFileName().toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String readOr(Path p, String fallback) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
