package dev.pig.sandbox.system;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Pure parsers and editors of the host state files the sandbox reads and writes. */
public final class HostParsers {
    private HostParsers() {
    }

    /** Mount points in {@code /proc/mounts}, in mount order, with octal escapes decoded. */
    public static List<String> mountPoints(String procMounts) {
        List<String> points = new ArrayList<>();
        for (String line : procMounts.split("\n")) {
            String[] f = line.split(" ");
            if (f.length >= 2) {
                points.add(unescapeOctal(f[1]));
            }
        }
        return points;
    }

    /**
     * The cgroup hierarchies a booting systemd places its units in, from {@code /proc/mounts}:
     * every cgroup2 mount, and the cgroup v1 mount named {@code systemd} of a v1 or hybrid host.
     */
    public static List<String> systemdCgroupMounts(String procMounts) {
        List<String> points = new ArrayList<>();
        for (String line : procMounts.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 4) {
                continue;
            }
            boolean v2 = f[2].equals("cgroup2");
            boolean named = f[2].equals("cgroup") && List.of(f[3].split(",")).contains("name=systemd");
            if (v2 || named) {
                points.add(unescapeOctal(f[1]));
            }
        }
        return points;
    }

    private static String unescapeOctal(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A known_hosts file without the lines that name any of these hosts (plain, not hashed,
     * entries; {@code [host]:port} forms included).
     */
    public static String knownHostsWithout(String knownHosts, Collection<String> hosts) {
        StringBuilder sb = new StringBuilder();
        for (String line : knownHosts.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String first = line.strip().split("\\s+")[0];
            if (first.startsWith("@")) { // @cert-authority / @revoked marker: hosts are the next field
                String[] f = line.strip().split("\\s+");
                first = f.length > 1 ? f[1] : "";
            }
            boolean match = false;
            for (String name : first.split(",")) {
                String n = name.startsWith("[") && name.contains("]") ? name.substring(1, name.indexOf(']')) : name;
                if (hosts.contains(n)) {
                    match = true;
                    break;
                }
            }
            if (!match) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** One POSIX shell word per argument, so a remote shell sees exactly these arguments. */
    public static String shellQuote(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (!a.isEmpty() && a.matches("[A-Za-z0-9_./=:,+@%-]+")) {
                sb.append(a);
            } else {
                sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }

    /** The effective user id in the text of {@code /proc/self/status}, or -1. */
    public static int uid(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).strip().split("\\s+");
                return Integer.parseInt(f.length > 1 ? f[1] : f[0]);
            }
        }
        return -1;
    }

    /**
     * Whether a link is administratively up, from {@code /sys/class/net/<link>/flags} (hex,
     * {@code IFF_UP} is bit 0); false for anything unreadable.
     */
    public static boolean linkUp(String sysFlags) {
        String f = sysFlags.strip();
        if (f.startsWith("0x")) {
            f = f.substring(2);
        }
        try {
            return (Long.parseLong(f, 16) & 1) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The last {@code n} lines of a text, for error messages. */
    public static String tail(String text, int n) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - n);
        return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
    }
}
