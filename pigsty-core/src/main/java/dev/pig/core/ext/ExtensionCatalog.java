package dev.pig.core.ext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.YNode;
import dev.pig.core.inventory.YamlTree;
import dev.pig.core.os.OsRelease;
import dev.pig.core.os.OsReleases;
import dev.pig.core.param.ParamCatalog;

/**
 * The extensions pig knows by Pigsty's names, read from {@code param/extensions.yml}, and the
 * resolution of names to packages for one OS release and PostgreSQL version:
 *
 * <pre>
 * ExtensionCatalog.builtIn().resolve(List.of("postgis", "vector", "timescaledb"), "bookworm", 15)
 *   packages: postgresql-15-postgis-3 (debian), postgresql-15-pgvector (pgdg)
 *   missing:  timescaledb: Debian 12 has no package; ...
 * </pre>
 *
 * A name is the catalog name or one of its aliases, in any case; an item of
 * {@code pg_extensions} may hold several, separated by commas, as Pigsty allows.
 */
public final class ExtensionCatalog {
    private static final String RESOURCE = "/dev/pig/core/param/extensions.yml";
    private static volatile ExtensionCatalog builtIn;

    private final Map<String, OsRelease> releases;
    private final List<Integer> pgdgVersions;
    private final List<Pattern> bundles;
    private final Map<String, Extension> byName = new LinkedHashMap<>();
    private final Map<String, Extension> byAlias = new LinkedHashMap<>();

    ExtensionCatalog(Map<String, OsRelease> releases, List<Integer> pgdgVersions, List<Pattern> bundles,
                     List<Extension> extensions) {
        this.releases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(releases));
        this.pgdgVersions = List.copyOf(pgdgVersions);
        this.bundles = List.copyOf(bundles);
        for (Extension e : extensions) {
            if (byName.put(key(e.name()), e) != null) {
                throw new IllegalStateException("extension '" + e.name() + "' is defined twice");
            }
        }
        for (Extension e : extensions) {
            List<String> others = new ArrayList<>(e.aliases());
            others.addAll(e.provides());
            for (String a : others) {
                if (!byName.containsKey(key(a))) {
                    byAlias.putIfAbsent(key(a), e);
                }
            }
        }
    }

    /** The catalog shipped with pig. */
    public static ExtensionCatalog builtIn() {
        ExtensionCatalog c = builtIn;
        if (c == null) {
            synchronized (ExtensionCatalog.class) {
                c = builtIn;
                if (c == null) {
                    try (InputStream in = ExtensionCatalog.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(RESOURCE + " is missing from the build");
                        }
                        c = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), OsReleases.builtIn());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    builtIn = c;
                }
            }
        }
        return c;
    }

    /**
     * Parses the catalog for the releases pig knows ({@code os-releases.yml}); a malformed entry
     * is a bug in pig, reported with its line.
     */
    static ExtensionCatalog parse(String text, OsReleases known) {
        Diagnostics d = new Diagnostics();
        YNode root = YamlTree.parse("extensions.yml", text, d).orElse(null);
        if (d.hasErrors() || !(root instanceof YNode.Map m)) {
            throw new IllegalStateException("extensions.yml is invalid:\n" + d.render());
        }
        Map<String, OsRelease> releases = known.all();
        List<Integer> pgdg = new ArrayList<>();
        if (m.get("pgdg_versions") instanceof YNode.Seq s) {
            s.items().forEach(i -> pgdg.add(((Long) i.plain()).intValue()));
        }
        List<Pattern> bundles = new ArrayList<>();
        if (m.get("bundles") instanceof YNode.Seq s) {
            s.items().forEach(i -> bundles.add(Pattern.compile(String.valueOf(i.plain()))));
        }
        List<Extension> exts = new ArrayList<>();
        if (!(m.get("extensions") instanceof YNode.Seq seq)) {
            throw new IllegalStateException("extensions.yml has no 'extensions' list");
        }
        for (YNode item : seq.items()) {
            try {
                Map<String, Object> v = YNode.plainMap((YNode.Map) item);
                String name = String.valueOf(v.get("name"));
                boolean contrib = Boolean.TRUE.equals(v.get("contrib"));
                List<String> provides = v.containsKey("provides") ? strings(v.get("provides"))
                        : contrib ? List.of(name) : List.of();
                Optional<String> pkg = Optional.ofNullable(v.get("pkg")).map(String::valueOf);
                Optional<String> elsewhere = Optional.ofNullable(v.get("elsewhere")).map(String::valueOf);
                if (!contrib && pkg.isEmpty() && elsewhere.isEmpty()) {
                    throw new IllegalArgumentException("needs 'pkg', 'contrib' or 'elsewhere'");
                }
                for (String r : strings(v.get("debian"))) {
                    if (!releases.containsKey(r)) {
                        throw new IllegalArgumentException("unknown release '" + r + "'");
                    }
                }
                exts.add(new Extension(name, pkg, provides, strings(v.get("aliases")), Set.copyOf(strings(v.get("debian"))),
                        Boolean.TRUE.equals(v.get("pgdg")), contrib, elsewhere));
            } catch (RuntimeException e) {
                throw new IllegalStateException("extensions.yml line " + item.source().line() + ": " + e.getMessage(), e);
            }
        }
        return new ExtensionCatalog(releases, pgdg, bundles, exts);
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof Collection<?> c) {
            c.forEach(x -> out.add(String.valueOf(x)));
        }
        return List.copyOf(out);
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** Every entry, in catalog order. */
    public List<Extension> all() {
        return List.copyOf(byName.values());
    }

    /** The releases whose archives the catalog's {@code debian} lists speak of, by codename. */
    public Map<String, OsRelease> releases() {
        return releases;
    }

    /** The entry a name means, by its own name or an alias. */
    public Optional<Extension> find(String name) {
        String k = key(name);
        return Optional.ofNullable(byName.get(k)).or(() -> Optional.ofNullable(byAlias.get(k)));
    }

    /** Whether a name is one of Pigsty's package groups, such as pg18-main. */
    public boolean isBundle(String name) {
        String k = key(name);
        return bundles.stream().anyMatch(p -> p.matcher(k).matches());
    }

    /** Whether a name is known at all: an extension, an alias or a package group. */
    public boolean knows(String name) {
        return find(name).isPresent() || isBundle(name);
    }

    /** The known name closest to an unknown one, if any is close. */
    public Optional<String> closest(String unknown) {
        String u = key(unknown);
        int limit = Math.max(1, Math.min(3, u.length() / 4));
        List<String> names = new ArrayList<>(byName.keySet());
        names.addAll(byAlias.keySet());
        return names.stream()
                .filter(n -> ParamCatalog.distance(u, n) <= limit)
                .min(Comparator.comparingInt((String n) -> ParamCatalog.distance(u, n)).thenComparing(n -> n));
    }

    /** Splits list items the way Pigsty reads them: "a, b" is two names. */
    public static List<String> names(Collection<String> items) {
        List<String> out = new ArrayList<>();
        for (String item : items) {
            for (String part : item.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /**
     * The packages that provide {@code names} on an OS release (a Debian codename such as
     * bookworm) with a PostgreSQL major version. A name is found in the release's own archive
     * when that archive carries this PostgreSQL version, else in PGDG; a name with neither is
     * missing, with the reason.
     */
    public Resolution resolve(Collection<String> names, String osRelease, int pgVersion) {
        OsRelease release = releases.get(key(osRelease));
        Map<String, Resolution.Package> packages = new LinkedHashMap<>();
        Set<String> builtInNames = new LinkedHashSet<>();
        List<Resolution.Missing> missing = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names(names)) {
            if (!seen.add(key(name))) {
                continue;
            }
            Optional<Extension> found = find(name);
            if (found.isEmpty()) {
                missing.add(new Resolution.Missing(name, isBundle(name)
                        ? "'" + name + "' is one of Pigsty's package groups, built from Pigsty's own repository; "
                        + "pig installs extensions by name: list the ones you need"
                        : "'" + name + "' is not in pig's extension catalog"
                        + closest(name).map(c -> "; did you mean '" + c + "'?").orElse("") + " ('pig ext list' shows them)"));
                continue;
            }
            Extension e = found.get();
            if (e.contrib()) {
                builtInNames.add(name);
                continue;
            }
            Optional<String> why = whyMissing(e, release, osRelease, pgVersion);
            if (why.isPresent()) {
                missing.add(new Resolution.Missing(name, why.get()));
                continue;
            }
            Resolution.Source source = release.pg() == pgVersion && e.debian().contains(release.codename())
                    ? Resolution.Source.DEBIAN : Resolution.Source.PGDG;
            String pkg = e.packageFor(pgVersion).orElseThrow();
            Resolution.Package before = packages.get(pkg);
            List<String> asked = new ArrayList<>(before == null ? List.of() : before.names());
            asked.add(name);
            packages.put(pkg, new Resolution.Package(pkg, source, List.copyOf(asked), e.provides()));
        }
        return new Resolution(osRelease, pgVersion, List.copyOf(packages.values()), List.copyOf(builtInNames), List.copyOf(missing));
    }

    private Optional<String> whyMissing(Extension e, OsRelease release, String osRelease, int pg) {
        String where = release == null ? osRelease : release.title();
        if (release == null) {
            return Optional.of(e.name() + ": pig knows the packages of " + String.join(" and ", releases.keySet())
                    + ", not of '" + osRelease + "'");
        }
        if (e.pkg().isEmpty()) {
            return Optional.of(e.name() + " has no package in " + where + " or PGDG: " + e.elsewhere().orElse("packaged elsewhere"));
        }
        boolean inArchive = release.pg() == pg && e.debian().contains(release.codename());
        boolean inPgdg = e.pgdg() && pgdgVersions.contains(pg);
        if (inArchive || inPgdg) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(e.name()).append(" has no package for PostgreSQL ").append(pg).append(" on ").append(where);
        if (e.debian().contains(release.codename())) {
            b.append(": its archive packages it for PostgreSQL ").append(release.pg()).append(" only");
        } else {
            b.append(": its archive has none");
        }
        if (!e.pgdg()) {
            b.append(e.elsewhere().map(x -> "; " + x).orElse("; PGDG has none either"));
        } else {
            b.append("; PGDG carries PostgreSQL ").append(pgdgVersions.get(0)).append(" to ")
                    .append(pgdgVersions.get(pgdgVersions.size() - 1)).append(" only");
        }
        return Optional.of(b.toString());
    }
}
