package dev.pig.core.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.fact.OsInfo;
import dev.pig.core.inventory.YNode;
import dev.pig.core.inventory.YamlTree;

/**
 * The releases of {@code param/os-releases.yml}, by codename, in file order:
 *
 * <pre>
 * OsReleases.builtIn().find("trixie").orElseThrow().pg()   // 17
 * </pre>
 */
public final class OsReleases {
    private static final String RESOURCE = "/dev/pig/core/param/os-releases.yml";
    private static final Set<String> KEYS = Set.of("debian", "pg");
    private static volatile OsReleases builtIn;

    private final Map<String, OsRelease> byCodename;

    OsReleases(List<OsRelease> releases) {
        Map<String, OsRelease> m = new LinkedHashMap<>();
        for (OsRelease r : releases) {
            if (m.put(r.codename(), r) != null) {
                throw new IllegalStateException("release '" + r.codename() + "' is defined twice");
            }
        }
        this.byCodename = Collections.unmodifiableMap(m);
    }

    /** The releases shipped with pig. */
    public static OsReleases builtIn() {
        OsReleases r = builtIn;
        if (r == null) {
            synchronized (OsReleases.class) {
                r = builtIn;
                if (r == null) {
                    try (InputStream in = OsReleases.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(RESOURCE + " is missing from the build");
                        }
                        r = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    builtIn = r;
                }
            }
        }
        return r;
    }

    /** Parses the file; a malformed entry is a bug in pig, reported with its line. */
    static OsReleases parse(String text) {
        Diagnostics d = new Diagnostics();
        YNode root = YamlTree.parse("os-releases.yml", text, d).orElse(null);
        if (d.hasErrors() || !(root instanceof YNode.Map m) || !(m.get("releases") instanceof YNode.Map rs)) {
            throw new IllegalStateException("os-releases.yml is invalid (it needs a 'releases' mapping):\n" + d.render());
        }
        List<OsRelease> out = new java.util.ArrayList<>();
        for (YNode.Entry e : rs.entries().values()) {
            try {
                if (!(e.value() instanceof YNode.Map fields)) {
                    throw new IllegalArgumentException("expected a mapping");
                }
                for (String k : fields.entries().keySet()) {
                    if (!KEYS.contains(k)) {
                        throw new IllegalArgumentException("unknown key '" + k + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
                    }
                }
                if (!e.key().matches("[a-z]+")) {
                    throw new IllegalArgumentException("'" + e.key() + "' is not a codename");
                }
                out.add(new OsRelease(e.key(), integer(fields, "debian"), integer(fields, "pg")));
            } catch (RuntimeException x) {
                throw new IllegalStateException("os-releases.yml line " + e.keySource().line() + ": " + x.getMessage(), x);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("os-releases.yml lists no release");
        }
        return new OsReleases(out);
    }

    private static int integer(YNode.Map fields, String key) {
        YNode n = fields.get(key);
        if (n == null || !(n.plain() instanceof Long l)) {
            throw new IllegalArgumentException("'" + key + "' must be an integer");
        }
        return Math.toIntExact(l);
    }

    /** Every release, by codename, in file order. */
    public Map<String, OsRelease> all() {
        return byCodename;
    }

    public List<String> codenames() {
        return List.copyOf(byCodename.keySet());
    }

    public Optional<OsRelease> find(String codename) {
        return Optional.ofNullable(byCodename.get(codename));
    }

    /**
     * The release a host runs, from its {@code /etc/os-release}: by codename, else by Debian
     * version; empty for anything else (Ubuntu, EL, a Debian pig has no data for).
     */
    public Optional<OsRelease> of(OsInfo os) {
        if (!os.id().equals("debian")) {
            return Optional.empty();
        }
        return find(os.codename()).or(() -> byCodename.values().stream()
                .filter(r -> String.valueOf(r.debian()).equals(os.majorVersion())).findFirst());
    }
}
