package dev.pig.sandbox.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Debian mirrors the host's apt uses, so the base image is fetched from the same place (often
 * the only one reachable). Reads both the one-line format ({@code sources.list}) and deb822
 * ({@code *.sources}).
 *
 * @param mirror   the archive, e.g. {@code http://deb.debian.org/debian}
 * @param security the security archive, if the host has one
 */
public record AptSources(String mirror, Optional<String> security) {
    public static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";

    /** The host's sources under {@code /etc/apt}, or Debian's default mirror. */
    public static AptSources ofHost(Path etcApt) {
        List<String> texts = new ArrayList<>();
        read(etcApt.resolve("sources.list")).ifPresent(t -> texts.add(t));
        Path dir = etcApt.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".sources") || p.toString().endsWith(".list"))
                        .sorted()
                        .forEach(p -> read(p).ifPresent(texts::add));
            } catch (IOException e) {
                // an unreadable directory leaves the default mirror
            }
        }
        return parse(String.join("\n\n", texts));
    }

    private static Optional<String> read(Path p) {
        try {
            return Files.isRegularFile(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Parses the concatenated text of apt source files in either format. */
    public static AptSources parse(String text) {
        List<String[]> entries = new ArrayList<>(); // {uri, suites}
        // deb822: stanzas separated by blank lines, fields "Name: value"
        String uris = null;
        String suites = null;
        boolean isDeb = true;
        boolean enabled = true;
        for (String raw : (text + "\n\n").split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isEmpty()) {
                if (uris != null && suites != null && isDeb && enabled) {
                    for (String u : uris.split("\\s+")) {
                        entries.add(new String[] {u, suites});
                    }
                }
                uris = null;
                suites = null;
                isDeb = true;
                enabled = true;
                continue;
            }
            if (line.startsWith("deb ")) {
                String[] f = withoutOptions(line.substring(4).strip()).split("\\s+");
                if (f.length >= 2) {
                    entries.add(new String[] {f[0], f[1]});
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("deb-src")) {
                String field = line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                switch (field) {
                    case "uris" -> uris = value;
                    case "suites" -> suites = value;
                    case "types" -> isDeb = List.of(value.split("\\s+")).contains("deb");
                    case "enabled" -> enabled = !value.equalsIgnoreCase("no");
                    default -> { }
                }
            }
        }
        String mirror = null;
        String security = null;
        for (String[] e : entries) {
            String uri = stripSlash(e[0]);
            if (!uri.startsWith("http://") && !uri.startsWith("https://")) {
                continue;
            }
            if (e[1].contains("-security") || e[1].contains("/updates")) {
                security = security == null ? uri : security;
            } else {
                mirror = mirror == null ? uri : mirror;
            }
        }
        return new AptSources(mirror == null ? DEFAULT_MIRROR : mirror, Optional.ofNullable(security));
    }

    private static String withoutOptions(String s) {
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end < 0 ? s : s.substring(end + 1).strip();
        }
        return s;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The {@code /etc/apt/sources.list} of a node of this Debian suite. */
    public String sourcesList(String suite) {
        StringBuilder sb = new StringBuilder();
        sb.append("deb ").append(mirror).append(' ').append(suite).append(" main\n");
        sb.append("deb ").append(mirror).append(' ').append(suite).append("-updates main\n");
        security.ifPresent(s -> sb.append("deb ").append(s).append(' ').append(suite).append("-security main\n"));
        return sb.toString();
    }
}
