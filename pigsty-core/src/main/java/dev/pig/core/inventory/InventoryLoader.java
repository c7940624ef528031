package dev.pig.core.inventory;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.PigException;
import dev.pig.core.diag.Source;

/**
 * Reads an inventory file and the {@code -e} extra vars into an {@link Inventory}, reporting
 * structural problems (what is not Ansible's group layout) as diagnostics.
 */
public final class InventoryLoader {
    private static final Map<String, YNode.Map> NO_EXTRA = Map.of();

    private InventoryLoader() {
    }

    /**
     * Loads {@code file}; {@code extra} are {@code -e} arguments: {@code key=value},
     * {@code @file.yml} or an inline YAML/JSON mapping. Returns empty when nothing usable could be
     * read; the reasons are in {@code diags}.
     */
    public static Optional<Inventory> load(Path file, List<String> extra, Diagnostics diags) {
        String name = file.toString();
        String text = read(file, "inventory",
                "Give the file with -i FILE (pig looks for pigsty.yml in the current directory by default).", diags);
        Map<String, YNode.Map> extraVars = extraVars(extra, diags);
        return text == null ? Optional.empty() : parse(name, text, extraVars, diags);
    }

    /** Loads from text, for tests and for inventories that do not live in a file. */
    public static Optional<Inventory> parse(String name, String text, Map<String, YNode.Map> extraVars, Diagnostics diags) {
        Optional<YNode> root = YamlTree.parse(name, text, diags);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        if (!(root.get() instanceof YNode.Map top)) {
            diags.error("the inventory must be a mapping with an 'all:' key, not " + YNode.kindOf(root.get()),
                    root.get().source(), "Start the file with 'all:' and put the groups under 'all.children'.");
            return Optional.empty();
        }
        YNode allNode = top.get("all");
        if (allNode == null) {
            diags.error("the inventory has no 'all:' key", new Source(name, 1, 1),
                    "Pigsty inventories start with 'all:', holding 'children:' (the groups) and 'vars:' (global parameters).");
            return Optional.empty();
        }
        for (YNode.Entry e : top.entries().values()) {
            if (!e.key().equals("all")) {
                diags.error("unexpected top-level key '" + e.key() + "'", e.keySource(),
                        "Groups go under 'all.children', global parameters under 'all.vars'.");
            }
        }
        YNode.Map all = asMap(allNode, "all", diags);
        if (all == null) {
            return Optional.empty();
        }
        YNode.Map allVars = emptyMap(all.source());
        Map<String, Group> groups = new LinkedHashMap<>();
        Map<String, Source> hosts = new LinkedHashMap<>();
        Map<String, YNode.Map> allHosts = new LinkedHashMap<>();
        for (YNode.Entry e : all.entries().values()) {
            switch (e.key()) {
                case "vars" -> {
                    YNode.Map v = asMap(e.value(), "all.vars", diags);
                    if (v != null) {
                        allVars = v;
                    }
                }
                case "children" -> {
                    YNode.Map children = asMap(e.value(), "all.children", diags);
                    if (children != null) {
                        for (YNode.Entry g : children.entries().values()) {
                            readGroup(g, 1, groups, hosts, diags);
                        }
                    }
                }
                case "hosts" -> readHosts(e, "all.hosts", allHosts, hosts, diags);
                default -> diags.error("unexpected key 'all." + e.key() + "'", e.keySource(),
                        "Under 'all' only 'children', 'vars' and 'hosts' are allowed; parameters go under 'all.vars'.");
            }
        }
        if (!allHosts.isEmpty()) {
            // hosts listed directly under all: an ungrouped group of depth 0, as Ansible's 'ungrouped'
            groups.put("ungrouped", new Group("ungrouped", all.source(), 0, allHosts,
                    sourcesOf(allHosts), emptyMap(all.source()), List.of()));
        }
        for (Group g : groups.values()) {
            for (String c : g.children()) {
                if (!groups.containsKey(c)) {
                    diags.error("group '" + g.name() + "' names child group '" + c + "' which is not defined",
                            g.source(), "Define group '" + c + "' or remove it from the children.");
                }
            }
        }
        return Optional.of(new Inventory(name, allVars, groups, extraVars, hosts));
    }

    private static Map<String, Source> sourcesOf(Map<String, YNode.Map> hostVars) {
        Map<String, Source> out = new LinkedHashMap<>();
        hostVars.forEach((k, v) -> out.put(k, v.source()));
        return out;
    }

    private static void readGroup(YNode.Entry g, int depth, Map<String, Group> groups, Map<String, Source> hosts,
                                  Diagnostics diags) {
        if (groups.containsKey(g.key())) {
            diags.error("group '" + g.key() + "' is defined twice", g.keySource(),
                    "Merge the two definitions: a group is defined once, its hosts listed under its 'hosts'.");
            return;
        }
        YNode.Map body = g.value() instanceof YNode.Scalar s && s.value() == null ? emptyMap(g.keySource())
                : asMap(g.value(), "group '" + g.key() + "'", diags);
        if (body == null) {
            return;
        }
        Map<String, YNode.Map> hostVars = new LinkedHashMap<>();
        Map<String, Source> hostSources = new LinkedHashMap<>();
        YNode.Map vars = emptyMap(body.source());
        List<String> children = new ArrayList<>();
        List<YNode.Entry> nested = new ArrayList<>();
        for (YNode.Entry e : body.entries().values()) {
            switch (e.key()) {
                case "hosts" -> {
                    readHosts(e, g.key() + ".hosts", hostVars, hosts, diags);
                    hostVars.forEach((k, v) -> hostSources.putIfAbsent(k, v.source()));
                }
                case "vars" -> {
                    YNode.Map v = asMap(e.value(), g.key() + ".vars", diags);
                    if (v != null) {
                        vars = v;
                    }
                }
                case "children" -> {
                    YNode.Map c = e.value() instanceof YNode.Scalar s && s.value() == null ? emptyMap(e.keySource())
                            : asMap(e.value(), g.key() + ".children", diags);
                    if (c != null) {
                        for (YNode.Entry child : c.entries().values()) {
                            children.add(child.key());
                            if (!(child.value() instanceof YNode.Scalar cs && cs.value() == null)) {
                                nested.add(child);
                            }
                        }
                    }
                }
                default -> diags.error("unexpected key '" + e.key() + "' in group '" + g.key() + "'", e.keySource(),
                        "A group holds 'hosts', 'vars' and 'children'; put parameters under '" + g.key() + ".vars'.");
            }
        }
        groups.put(g.key(), new Group(g.key(), g.keySource(), depth, hostVars, hostSources, vars, List.copyOf(children)));
        for (YNode.Entry child : nested) {
            readGroup(child, depth + 1, groups, hosts, diags);
        }
    }

    private static void readHosts(YNode.Entry e, String where, Map<String, YNode.Map> hostVars, Map<String, Source> hosts,
                                  Diagnostics diags) {
        if (e.value() instanceof YNode.Scalar s && s.value() == null) {
            return;
        }
        YNode.Map hm = asMap(e.value(), where, diags);
        if (hm == null) {
            return;
        }
        for (YNode.Entry h : hm.entries().values()) {
            YNode.Map vars;
            if (h.value() instanceof YNode.Scalar s && s.value() == null) {
                vars = emptyMap(h.keySource());
            } else {
                vars = asMap(h.value(), "host '" + h.key() + "'", diags);
                if (vars == null) {
                    continue;
                }
            }
            hostVars.put(h.key(), vars);
            hosts.putIfAbsent(h.key(), h.keySource());
        }
    }

    private static YNode.Map asMap(YNode n, String what, Diagnostics diags) {
        if (n instanceof YNode.Map m) {
            return m;
        }
        diags.error(what + " must be a mapping, not " + YNode.kindOf(n), n.source(),
                "Write it as 'key: value' pairs indented under it.");
        return null;
    }

    private static YNode.Map emptyMap(Source at) {
        return new YNode.Map(new LinkedHashMap<>(), at);
    }

    /** Parses {@code -e} arguments, later ones overriding earlier ones. */
    static Map<String, YNode.Map> extraVars(List<String> extra, Diagnostics diags) {
        if (extra == null || extra.isEmpty()) {
            return NO_EXTRA;
        }
        Map<String, YNode.Map> out = new LinkedHashMap<>();
        int i = 0;
        for (String arg : extra) {
            i++;
            String label = "-e #" + i;
            if (arg.startsWith("@")) {
                Path p = Path.of(arg.substring(1));
                String text = read(p, "extra vars", "Give an existing YAML file of parameters with -e @FILE.", diags);
                Optional<YNode> n = text == null ? Optional.empty() : YamlTree.parse(p.toString(), text, diags);
                n.ifPresent(y -> {
                    if (y instanceof YNode.Map m) {
                        out.put(p.toString(), m);
                    } else {
                        diags.error("extra vars file must be a mapping of parameters", y.source(),
                                "Write 'name: value' lines, for example 'pg_port: 5433'.");
                    }
                });
            } else if (arg.trim().startsWith("{")) {
                Optional<YNode> n = YamlTree.parse(label, arg, diags);
                n.ifPresent(y -> out.put(label, (YNode.Map) (y instanceof YNode.Map ? y : YNode.of(Map.of(), y.source()))));
            } else {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    diags.error("extra var '" + arg + "' is not key=value", new Source("-e", 0, 0),
                            "Write -e name=value, -e @file.yml or -e '{name: value}'.");
                    continue;
                }
                Source src = new Source("-e", 0, 0);
                String key = arg.substring(0, eq).trim();
                String raw = arg.substring(eq + 1);
                Map<String, YNode.Entry> m = new LinkedHashMap<>();
                m.put(key, new YNode.Entry(key, src, new YNode.Scalar(YamlTree.typed(raw), raw, false, src)));
                out.put(label, new YNode.Map(m, src));
            }
        }
        return out;
    }

    /**
     * Reads a user's file, turning the usual failures into clear errors; {@code hint} says how to
     * give it. A file too large to be an inventory is reported to {@code diags} without being read
     * (null is returned).
     */
    static String read(Path file, String what, String hint, Diagnostics diags) {
        try {
            long size = Files.size(file);
            if (size > YamlTree.MAX_CHARS) {
                diags.error(what + " file " + file + " is " + size + " bytes, more than pig reads (" + YamlTree.MAX_CHARS + ")",
                        new Source(file.toString(), 0, 0),
                        "An inventory is YAML text of at most a few MB; check that this is the right file.");
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PigException(PigException.Kind.USAGE, what + " file not found: " + file + "\n  " + hint);
        } catch (MalformedInputException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, what + " file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new PigException(PigException.Kind.USAGE, "cannot read " + what + " file " + file + ": " + e.getMessage());
        }
    }
}
