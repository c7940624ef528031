package dev.pig.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;
import dev.pig.core.ext.ExtensionCatalog;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Inventory;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;

/**
 * What every part of the model builder shares: the inventory, the catalog, where problems go, and
 * each host's resolved variables with typed reads. A parameter that is not set reads as the
 * catalog's default, the only place defaults are written; a name the catalog does not know is a
 * bug in pig and throws.
 */
final class BuildContext {
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9-]+");

    final Inventory inv;
    final ParamCatalog catalog;
    final Diagnostics diags;
    private final Map<String, Object> defaults = new HashMap<>();
    private final Map<String, Map<String, Var>> hostVars = new LinkedHashMap<>();
    private final Set<String> warnedExtensions = new HashSet<>();

    BuildContext(Inventory inv, ParamCatalog catalog, Diagnostics diags) {
        this.inv = inv;
        this.catalog = catalog;
        this.diags = diags;
        for (Param p : catalog.all()) {
            defaults.put(p.name(), p.defaultValue());
        }
    }

    /** Every catalogued parameter with its default (null included), as {@link ClusterModel.HostVars} reads them. */
    Map<String, Object> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    void resolved(String host, Map<String, Var> vars) {
        hostVars.put(host, vars);
    }

    Map<String, Map<String, Var>> hostVars() {
        return hostVars;
    }

    // ---- typed reads of a host's resolved variables ----

    /** The variable as the inventory sets it for the host, or null when only the default applies. */
    Var var(String host, String name) {
        known(name);
        return hostVars.get(host).get(name);
    }

    Object value(String host, String name) {
        Var v = var(host, name);
        return v != null ? v.value() : defaults.get(name);
    }

    /** The catalog's default of a parameter. */
    Object defaultValue(String name) {
        known(name);
        return defaults.get(name);
    }

    Source sourceOf(String host, String name, Source fallback) {
        Var v = var(host, name);
        return v != null && v.source().known() ? v.source() : fallback;
    }

    /** The value as text; the default when it is null (written as {@code ~}), and empty when that is null too. */
    String str(String host, String name) {
        Object v = Optional.ofNullable(value(host, name)).orElseGet(() -> defaultValue(name));
        return v == null ? "" : String.valueOf(v);
    }

    /** The value, or the default when the value has the wrong type (the type check has reported it). */
    int integer(String host, String name) {
        return value(host, name) instanceof Long l ? l.intValue() : typedDefault(name, Long.class).intValue();
    }

    /** The value, or the default when the value has the wrong type (the type check has reported it). */
    boolean bool(String host, String name) {
        return value(host, name) instanceof Boolean b ? b : typedDefault(name, Boolean.class);
    }

    private <T> T typedDefault(String name, Class<T> type) {
        Object d = defaultValue(name);
        if (!type.isInstance(d)) {
            throw new IllegalStateException("the catalog default of '" + name + "' is " + d + ", not a " + type.getSimpleName());
        }
        return type.cast(d);
    }

    private void known(String name) {
        if (!defaults.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' is not in pig's catalog"
                    + " (pigsty-core/src/main/resources/dev/pig/core/param/*.yml)");
        }
    }

    /** The entries of a list parameter as mappings, each entry not a mapping reported. */
    List<YNode.Map> entries(String host, String param) {
        Var v = var(host, param);
        List<YNode.Map> out = new ArrayList<>();
        YNode node = v != null ? v.node() : YNode.of(defaults.get(param), Source.NONE);
        if (node instanceof YNode.Seq seq) {
            for (YNode item : seq.items()) {
                if (item instanceof YNode.Map m) {
                    out.add(m);
                } else {
                    diags.error("each entry of " + param + " must be a mapping, not " + YNode.kindOf(item), item.source(),
                            "Write entries as '- { name: ... }'.");
                }
            }
        }
        return out;
    }

    /**
     * The non-null scalar items of a list parameter as the inventory writes it for the host, each
     * with its position; none when the catalog's default applies.
     */
    List<YNode.Scalar> writtenItems(String host, String param) {
        List<YNode.Scalar> out = new ArrayList<>();
        if (var(host, param) != null && var(host, param).node() instanceof YNode.Seq seq) {
            for (YNode item : seq.items()) {
                if (item instanceof YNode.Scalar sc && sc.value() != null) {
                    out.add(sc);
                }
            }
        }
        return out;
    }

    /** Which layer of the inventory set a host's variable, named as the unknown-parameter check names it. */
    String layerOf(String host, String param) {
        Var v = var(host, param);
        if (v == null) {
            return "the defaults";
        }
        return switch (v.origin()) {
            case GROUP -> v.detail() + ".vars";
            case HOST -> "host " + host;
            case ALL_VARS -> "all.vars";
            case EXTRA -> "the extra vars (-e)";
            case DEFAULT -> "the defaults";
        };
    }

    // ---- identity shared by every kind of cluster ----

    /** Where a host of a group is written: in the group, else where the inventory first names it. */
    Source hostSource(Group g, String host) {
        return g.hostSources().getOrDefault(host, inv.hosts().get(host));
    }

    /** Reads a required per-host sequence number, unique within its group. */
    Optional<Integer> requiredSeq(String host, String param, Group g, Map<Integer, String> seen) {
        Var v = var(host, param);
        if (v == null) {
            diags.error("host " + host + " in group '" + g.name() + "' has no '" + param + "'", hostSource(g, host),
                    "Give every host of the group a unique number, for example: " + host + ": { " + param + ": 1 }");
            return Optional.empty();
        }
        if (!(v.value() instanceof Long l) || l < 0) {
            return Optional.empty(); // the type check has reported it
        }
        int seq = l.intValue();
        String other = seen.putIfAbsent(seq, host);
        if (other != null) {
            diags.error("'" + param + ": " + seq + "' is used by both " + other + " and " + host + " in group '" + g.name() + "'",
                    v.source(), "Each host of the group needs its own " + param + ".");
        }
        return Optional.of(seq);
    }

    void checkClusterName(String name, Source at) {
        if (!CLUSTER_NAME.matcher(name).matches()) {
            diags.error("cluster name '" + name + "' is invalid", at,
                    "Use only letters, digits and '-' (Pigsty's rule), for example 'pg-test'.");
        }
    }

    /**
     * An extension name pig cannot map to a package is a warning, not an error: the cluster may
     * have it already, or install it from a package source pig does not know.
     */
    void checkExtensionName(String name, Source at) {
        ExtensionCatalog ext = ExtensionCatalog.builtIn();
        if (ext.knows(name) || name.contains("{{") || !warnedExtensions.add(at + "/" + name)) {
            return;
        }
        diags.warning("extension '" + name + "' is not in pig's extension catalog", at,
                ext.closest(name).map(c -> "Did you mean '" + c + "'? ").orElse("")
                        + "pig cannot tell which package provides it; 'pig ext list' shows the names it knows.");
    }
}
