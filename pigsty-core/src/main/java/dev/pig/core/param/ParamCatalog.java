package dev.pig.core.param;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.YNode;
import dev.pig.core.inventory.YamlTree;

/**
 * Every parameter pig knows. Loaded once from the {@code *.yml} files next to this class, one
 * per module; each entry reads:
 *
 * <pre>
 * - name: pg_port
 *   section: PG_BOOTSTRAP
 *   level: C
 *   type: port
 *   default: 5432
 *   desc: Port PostgreSQL listens on.
 * </pre>
 */
public final class ParamCatalog {
    /** The catalog files, one per module, in deployment order. */
    static final List<String> FILES = List.of("meta", "infra", "node", "etcd", "minio", "pgsql", "redis", "docker",
            "kafka", "mysql", "ferret", "juice", "vibe");

    private static volatile ParamCatalog builtIn;

    private final Map<String, Param> byName;

    ParamCatalog(List<Param> params) {
        Map<String, Param> m = new LinkedHashMap<>();
        for (Param p : params) {
            if (m.put(p.name(), p) != null) {
                throw new IllegalStateException("parameter '" + p.name() + "' is defined twice in the catalog");
            }
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /** The catalog shipped with pig. */
    public static ParamCatalog builtIn() {
        ParamCatalog c = builtIn;
        if (c == null) {
            synchronized (ParamCatalog.class) {
                c = builtIn;
                if (c == null) {
                    c = load();
                    builtIn = c;
                }
            }
        }
        return c;
    }

    private static ParamCatalog load() {
        List<Param> all = new ArrayList<>();
        for (String f : FILES) {
            String resource = f + ".yml";
            try (InputStream in = ParamCatalog.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("catalog file " + resource + " is missing from the build");
                }
                all.addAll(parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read catalog file " + resource, e);
            }
        }
        return new ParamCatalog(all);
    }

    /** Parses one catalog file; a malformed entry is a bug in pig, reported with its position. */
    static List<Param> parse(String file, String text) {
        Diagnostics d = new Diagnostics();
        YNode root = YamlTree.parse(file, text, d).orElse(null);
        if (d.hasErrors() || !(root instanceof YNode.Map m)) {
            throw new IllegalStateException("catalog " + file + " is invalid:\n" + d.render());
        }
        Module module = Module.valueOf(String.valueOf(m.get("module").plain()));
        List<Param> out = new ArrayList<>();
        if (!(m.get("params") instanceof YNode.Seq seq)) {
            throw new IllegalStateException("catalog " + file + " has no 'params' list");
        }
        for (YNode item : seq.items()) {
            if (!(item instanceof YNode.Map p)) {
                throw new IllegalStateException(file + " line " + item.source().line() + ": expected a mapping");
            }
            try {
                Map<String, Object> v = YNode.plainMap(p);
                ParamType type = ParamType.of(String.valueOf(v.get("type")));
                List<String> values = new ArrayList<>();
                if (v.get("values") instanceof List<?> l) {
                    l.forEach(x -> values.add(String.valueOf(x)));
                }
                if (type == ParamType.ENUM && values.isEmpty()) {
                    throw new IllegalArgumentException("an enum needs 'values'");
                }
                String desc = v.get("desc") == null ? "" : String.valueOf(v.get("desc")).trim();
                out.add(new Param(String.valueOf(v.get("name")), module, String.valueOf(v.getOrDefault("section", "")),
                        Level.ofCode(String.valueOf(v.get("level"))), type, List.copyOf(values), v.get("default"),
                        desc, Boolean.TRUE.equals(v.get("acts"))));
            } catch (RuntimeException e) {
                throw new IllegalStateException(file + " line " + p.source().line() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    public Optional<Param> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<Param> all() {
        return List.copyOf(byName.values());
    }

    public List<Param> byModule(Module module) {
        return byName.values().stream().filter(p -> p.module() == module).toList();
    }

    /** Known names closest to an unknown one, best first: at most three, none when nothing is close. */
    public List<String> suggestions(String unknown) {
        String u = unknown.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(3, u.length() / 4));
        record Scored(String name, int distance) {
        }
        return byName.keySet().stream()
                .map(n -> new Scored(n, distance(u, n)))
                .filter(s -> s.distance() <= limit)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(3)
                .map(Scored::name)
                .toList();
    }

    /** Damerau-Levenshtein distance (optimal string alignment): a swap of two letters costs one. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
