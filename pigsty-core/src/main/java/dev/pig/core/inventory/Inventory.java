package dev.pig.core.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;

/**
 * A parsed Pigsty inventory in Ansible's layout:
 *
 * <pre>
 * all:
 *   children:
 *     pg-test:
 *       hosts:
 *         10.10.10.11: { pg_seq: 1, pg_role: primary }
 *       vars: { pg_cluster: pg-test }
 *   vars:
 *     admin_ip: 10.10.10.10
 * </pre>
 *
 * Variables resolve per host with Ansible's precedence: extra vars ({@code -e}) over host vars
 * over group vars (deeper groups first, then by name) over {@code all.vars} over pig's defaults.
 */
public final class Inventory {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /**
     * Placeholders that name a fact of the host, not a variable: Pigsty's {@code repo_upstream}
     * URLs use them, and the NODE module fills them in at plan time from the host's OS.
     */
    public static final Set<String> HOST_FACT_PLACEHOLDERS = Set.of("distro_codename", "distro_name");
    private static final Set<String> HBA_USER_ALIASES = Set.of("dbsu", "repl", "monitor", "admin");
    /**
     * Placeholders that a module fills in for one parameter, not variables: Pigsty's HBA rules
     * name users by role ({@code user: '${admin}'} is pg_admin_username) and pg_listen names
     * the instance's own addresses. They are left as written unless a variable of that name
     * exists, as Pigsty does.
     */
    static final Map<String, Set<String>> MODULE_PLACEHOLDERS = Map.of(
            "pg_default_hba_rules", HBA_USER_ALIASES, "pg_hba_rules", HBA_USER_ALIASES,
            "pgb_default_hba_rules", HBA_USER_ALIASES, "pgb_hba_rules", HBA_USER_ALIASES,
            "pg_listen", Set.of("ip", "vip", "lo", "lo6"));

    private final String file;
    private final YNode.Map allVars;
    private final Map<String, Group> groups;
    private final Map<String, YNode.Map> extraVars;
    private final Map<String, Source> hosts;
    private final Map<String, List<Group>> hostGroups = new LinkedHashMap<>();
    private final Map<YNode, Boolean> placeholderCache = new java.util.IdentityHashMap<>();

    Inventory(String file, YNode.Map allVars, Map<String, Group> groups, Map<String, YNode.Map> extraVars,
              Map<String, Source> hosts) {
        this.file = file;
        this.allVars = allVars;
        this.groups = groups;
        this.extraVars = extraVars;
        this.hosts = hosts;
        List<Group> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.comparingInt(Group::depth).thenComparing(Group::name));
        for (Group g : ordered) {
            for (String h : members(g)) {
                hostGroups.computeIfAbsent(h, k -> new ArrayList<>()).add(g);
            }
        }
    }

    public String file() {
        return file;
    }

    public YNode.Map allVars() {
        return allVars;
    }

    /** Groups by name, in file order. */
    public Map<String, Group> groups() {
        return groups;
    }

    /** Every host key, with where it was first written, in file order. */
    public Map<String, Source> hosts() {
        return hosts;
    }

    /** Extra vars by where they came from ({@code -e} or the file given with {@code -e @file}). */
    public Map<String, YNode.Map> extraVars() {
        return extraVars;
    }

    /** The groups a host belongs to, directly or through a child group, weakest first. */
    public List<Group> groupsOf(String host) {
        return hostGroups.getOrDefault(host, List.of());
    }

    /** Hosts of a group, including those of its child groups. */
    public Set<String> members(Group g) {
        return members(g, new LinkedHashSet<>());
    }

    private Set<String> members(Group g, Set<String> seen) {
        Set<String> out = new LinkedHashSet<>(g.hostVars().keySet());
        if (seen.add(g.name())) {
            for (String c : g.children()) {
                Group child = groups.get(c);
                if (child != null) {
                    out.addAll(members(child, seen));
                }
            }
        }
        return out;
    }

    /**
     * The host's variables that the inventory sets (defaults are not included), after precedence
     * and with {@code ${name}} placeholders replaced by the host's value of {@code name}.
     * Problems with placeholders are reported to {@code diags}.
     */
    public Map<String, Var> resolve(String host, Diagnostics diags) {
        Map<String, Var> vars = new LinkedHashMap<>();
        layer(vars, allVars, Origin.ALL_VARS, "");
        List<Group> gs = groupsOf(host);
        for (Group g : gs) {
            layer(vars, g.vars(), Origin.GROUP, g.name());
        }
        for (Group g : gs) {
            YNode.Map hv = g.hostVars().get(host);
            if (hv != null) {
                layer(vars, hv, Origin.HOST, "");
            }
        }
        for (Map.Entry<String, YNode.Map> e : extraVars.entrySet()) {
            layer(vars, e.getValue(), Origin.EXTRA, "");
        }
        Map<String, Var> out = new LinkedHashMap<>();
        for (Var v : vars.values()) {
            YNode resolved = substitute(v.node(), vars, diags, 0, MODULE_PLACEHOLDERS.getOrDefault(v.name(), Set.of()));
            out.put(v.name(), resolved == v.node() ? v : new Var(v.name(), resolved, v.origin(), v.detail(), v.source()));
        }
        return out;
    }

    private static void layer(Map<String, Var> vars, YNode.Map layer, Origin origin, String detail) {
        if (layer == null) {
            return;
        }
        for (YNode.Entry e : layer.entries().values()) {
            vars.put(e.key(), new Var(e.key(), e.value(), origin, detail, e.keySource()));
        }
    }

    /** Whether a value holds a placeholder anywhere; values shared by many hosts are checked once. */
    private boolean hasPlaceholder(YNode node) {
        if (node instanceof YNode.Scalar s) {
            return s.value() instanceof String str && str.contains("${");
        }
        Boolean known = placeholderCache.get(node);
        if (known == null) {
            known = node instanceof YNode.Seq seq ? seq.items().stream().anyMatch(this::hasPlaceholder)
                    : ((YNode.Map) node).entries().values().stream().anyMatch(e -> hasPlaceholder(e.value()));
            placeholderCache.put(node, known);
        }
        return known;
    }

    private YNode substitute(YNode node, Map<String, Var> vars, Diagnostics diags, int depth, Set<String> moduleOwn) {
        if (!hasPlaceholder(node)) {
            return node;
        }
        if (node instanceof YNode.Scalar s && s.value() instanceof String str && str.contains("${")) {
            Matcher m = PLACEHOLDER.matcher(str);
            StringBuilder b = new StringBuilder();
            boolean whole = false;
            Object wholeValue = null;
            while (m.find()) {
                Var ref = vars.get(m.group(1));
                if (ref == null && (HOST_FACT_PLACEHOLDERS.contains(m.group(1)) || moduleOwn.contains(m.group(1)))) {
                    m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
                    continue;
                }
                if (ref == null || !(ref.node() instanceof YNode.Scalar rs) || depth > 8) {
                    diags.warning("placeholder '" + m.group() + "' has no value for this host", s.source(),
                            "Set '" + m.group(1) + "' in all.vars (or on the group or host), or write the value out.");
                    m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
                    continue;
                }
                Object rv = substitute(rs, vars, diags, depth + 1, Set.of()).plain();
                if (m.start() == 0 && m.end() == str.length()) {
                    whole = true;
                    wholeValue = rv;
                }
                m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf(rv)));
            }
            m.appendTail(b);
            Object value = whole ? wholeValue : b.toString();
            return new YNode.Scalar(value, s.raw(), s.quoted(), s.source());
        }
        if (node instanceof YNode.Seq seq) {
            List<YNode> items = new ArrayList<>(seq.items().size());
            for (YNode n : seq.items()) {
                items.add(substitute(n, vars, diags, depth, moduleOwn));
            }
            return new YNode.Seq(items, seq.source());
        }
        if (node instanceof YNode.Map map) {
            Map<String, YNode.Entry> entries = new LinkedHashMap<>();
            for (YNode.Entry e : map.entries().values()) {
                entries.put(e.key(), new YNode.Entry(e.key(), e.keySource(), substitute(e.value(), vars, diags, depth, moduleOwn)));
            }
            return new YNode.Map(entries, map.source());
        }
        return node;
    }
}
