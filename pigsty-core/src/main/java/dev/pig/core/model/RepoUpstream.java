package dev.pig.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;

/**
 * One package source of Pigsty's {@code repo_upstream}: which module it belongs to (the names
 * {@code node_repo_modules} picks), the OS releases and architectures it is for, and its URL per
 * {@code region}. On Debian a URL is the rest of a {@code deb} line: archive, suite, components.
 *
 * <pre>
 * repo_upstream:
 *   - { name: pigsty-local, module: local, baseurl: { default: 'http://${admin_ip}/pigsty ./' } }
 *   - { name: base, module: node, releases: [12], arch: [x86_64],
 *       baseurl: { default: 'http://deb.debian.org/debian/ ${distro_codename} main' } }
 * </pre>
 *
 * @param releases OS major versions ({@code 12}, {@code 22}); empty means every release
 * @param arch     {@code uname -m} values; empty means every architecture
 * @param baseurl  URL by region; {@code default} is required
 */
public record RepoUpstream(String name, String description, String module, List<String> releases, List<String> arch,
                           Map<String, String> baseurl) {

    /**
     * Modules pig has package sources for without a {@code repo_upstream} in the inventory: the
     * distribution's own archive. The NODE module's per-OS tables hold exactly these.
     */
    public static final Set<String> BUILT_IN_MODULES = Set.of("node");

    public RepoUpstream {
        releases = List.copyOf(releases);
        arch = List.copyOf(arch);
        baseurl = Map.copyOf(baseurl);
    }

    /** Whether the entry is meant for this OS major version and architecture. */
    public boolean matches(String majorVersion, String machine) {
        return (releases.isEmpty() || releases.contains(majorVersion)) && (arch.isEmpty() || arch.contains(machine));
    }

    /** The URL for {@code region}, else the default one. */
    public String url(String region) {
        String u = baseurl.get(region);
        return u == null || u.isBlank() ? baseurl.getOrDefault("default", "") : u;
    }

    /** The module names of {@code node_repo_modules} (a comma-separated string, or a list), in order. */
    public static List<String> modules(Object nodeRepoModules) {
        Set<String> out = new LinkedHashSet<>();
        if (nodeRepoModules instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x).strip()));
        } else if (nodeRepoModules != null) {
            for (String part : String.valueOf(nodeRepoModules).split(",")) {
                out.add(part.strip());
            }
        }
        out.removeIf(String::isEmpty);
        return List.copyOf(out);
    }

    /** The entries of a {@code repo_upstream} value; entries without a module or a default URL are left out (validation reports them). */
    public static List<RepoUpstream> of(Object repoUpstream) {
        List<RepoUpstream> out = new ArrayList<>();
        if (!(repoUpstream instanceof List<?> list)) {
            return out;
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("baseurl") instanceof Map<?, ?> urls)) {
                continue;
            }
            String module = text(m.get("module"));
            Map<String, String> byRegion = new LinkedHashMap<>();
            urls.forEach((k, v) -> byRegion.put(String.valueOf(k), text(v)));
            if (module.isEmpty() || byRegion.getOrDefault("default", "").isBlank()) {
                continue;
            }
            out.add(new RepoUpstream(text(m.get("name")), text(m.get("description")), module, texts(m.get("releases")),
                    texts(m.get("arch")), byRegion));
        }
        return out;
    }

    /**
     * Checks one host's {@code node_repo_modules} against {@code repo_upstream} (or pig's built-in
     * sources when the inventory has none): a malformed entry is an error, a module nothing
     * provides is a warning, since pig then writes no sources for it. The default
     * {@code node_repo_modules: local} is not warned about; the plan says what pig does instead.
     *
     * @param modulesValue the host's resolved {@code node_repo_modules}
     * @param modules      where the host's {@code node_repo_modules} was set, or null when it has the default
     * @param upstream     the host's {@code repo_upstream}, or null when the inventory has none
     */
    public static void check(Object modulesValue, Var modules, Var upstream, Diagnostics diags) {
        Set<String> provided = new LinkedHashSet<>();
        if (upstream != null) {
            checkEntries(upstream.node(), diags);
            of(upstream.value()).forEach(u -> provided.add(u.module()));
        } else {
            provided.addAll(BUILT_IN_MODULES);
        }
        if (modules == null && upstream == null) {
            return;
        }
        for (String m : modules(modulesValue)) {
            if (provided.contains(m)) {
                continue;
            }
            var where = modules != null ? modules.source() : upstream.source();
            if (upstream != null) {
                diags.warning("node_repo_modules has '" + m + "' but repo_upstream has no entry with module '" + m
                                + "': pig writes no package sources for it", where,
                        "Add an entry { name: NAME, module: " + m + ", baseurl: { default: 'URL SUITE COMPONENTS' } } to repo_upstream, or drop '"
                                + m + "' from node_repo_modules.");
            } else if (m.equals("local")) {
                diags.warning("node_repo_modules has 'local', the infra node's repo, which pig does not build: "
                                + "pig writes no package sources for it", where,
                        "Name the repo with a repo_upstream entry of module 'local', e.g.\n"
                                + "{ name: pigsty-local, module: local, baseurl: { default: 'http://${admin_ip}/pigsty ./' } },\n"
                                + "or use 'node' for the distribution's own archive.");
            } else {
                diags.warning("node_repo_modules has '" + m + "', for which pig has no package source of its own: "
                                + "pig writes no package sources for it", where,
                        "pig knows " + String.join(", ", BUILT_IN_MODULES.stream().sorted().toList())
                                + " (the distribution's own archive) by itself; define '" + m + "' with repo_upstream entries.");
            }
        }
    }

    private static void checkEntries(YNode node, Diagnostics diags) {
        if (!(node instanceof YNode.Seq seq)) {
            return; // the parameter's type check reports a value that is not a list
        }
        for (int i = 0; i < seq.items().size(); i++) {
            YNode item = seq.items().get(i);
            String which = "repo_upstream entry " + (i + 1);
            if (!(item instanceof YNode.Map m)) {
                diags.error(which + " is not a mapping", item.source(),
                        "Write it as { name: NAME, module: MODULE, baseurl: { default: 'URL SUITE COMPONENTS' } }.");
                continue;
            }
            String name = text(m.get("name") == null ? null : m.get("name").plain());
            if (!name.isEmpty()) {
                which = which + " (" + name + ")";
            }
            if (m.get("module") == null || text(m.get("module").plain()).isEmpty()) {
                diags.error(which + " has no module", m.source(), "Set 'module' to the name node_repo_modules uses for it, e.g. module: node.");
            }
            YNode urls = m.get("baseurl");
            if (!(urls instanceof YNode.Map um) || um.get("default") == null || text(um.get("default").plain()).isEmpty()) {
                diags.error(which + " has no baseurl.default", urls == null ? m.source() : urls.source(),
                        "Set baseurl: { default: 'URL SUITE COMPONENTS' }, e.g. 'http://deb.debian.org/debian/ bookworm main'.");
            }
        }
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o).strip();
    }

    private static List<String> texts(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(text(x instanceof Double d && d == Math.rint(d) ? (long) (double) d : x)));
        } else if (o != null) {
            out.add(text(o));
        }
        return out;
    }
}
