package dev.pig.core.model;

import java.util.regex.Pattern;

/** Address checks for the inventory: IPv4 addresses, CIDR blocks and host names. */
public final class Net {
    private static final Pattern HOSTNAME =
            Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private Net() {
    }

    /** A dotted IPv4 address, each part 0-255 without leading zeros. */
    public static boolean isIp(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
                    || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4 address with a prefix length, like {@code 10.10.10.2/24}. */
    public static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0 || !isIp(s.substring(0, slash))) {
            return false;
        }
        String len = s.substring(slash + 1);
        return !len.isEmpty() && len.length() <= 2 && len.chars().allMatch(Character::isDigit)
                && Integer.parseInt(len) <= 32;
    }

    /** A DNS host name (which is also what a dotted string that is not a valid IP looks like). */
    public static boolean isHostname(String s) {
        return HOSTNAME.matcher(s).matches() && !s.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    /** The address as a 32-bit number. */
    public static long toLong(String ip) {
        long v = 0;
        for (String p : ip.split("\\.")) {
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    /** Whether {@code ip} lies inside {@code cidr}. */
    public static boolean contains(String cidr, String ip) {
        String[] c = cidr.split("/");
        int len = Integer.parseInt(c[1]);
        long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
        return (toLong(c[0]) & mask) == (toLong(ip) & mask);
    }
}
