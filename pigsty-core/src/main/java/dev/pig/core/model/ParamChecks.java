package dev.pig.core.model;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.pig.core.diag.ControlChars;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Inventory;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;
import dev.pig.core.param.Module;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;
import dev.pig.core.param.ParamType;

/**
 * The checks of every parameter where it is written, before any host is resolved: its name is
 * one the catalog knows, its value has the catalog's type (absolute paths included) and fits the
 * format pig writes it into ({@link FormatRules}), and no string under it holds a control
 * character. Secrets are kept out of excerpts; parameters pig accepts but does not act on are one
 * warning per module.
 */
final class ParamChecks {
    /**
     * Parameters whose strings are lines of a whitespace-separated format pig writes as they are
     * (crontab lines; the raw {@code rules} lines of HBA entries), where a tab is a separator
     * like a space. Everywhere else a tab is refused with the other control characters: in a name,
     * a password or a path it is a paste error, and HAProxy, keepalived and pgBackRest read it as
     * a separator that would split one value into two.
     */
    private static final Set<String> TAB_SEPARATED_LINES = Set.of("node_crontab", "pg_crontab");
    private static final Set<String> HBA_PARAMS = Set.of("pg_hba_rules", "pgb_hba_rules", "pg_default_hba_rules",
            "pgb_default_hba_rules");
    private static final String CONTROL_HINT = "pig refuses control characters in inventory values: in a name, a password, a path"
            + " or a config line they could end\nthe command or the line pig writes and start another, or drive the terminal"
            + " that shows them. Remove it\n(in a double-quoted YAML string, drop the \\n, \\t, \\e or \\x.. escape).";

    private final ParamCatalog catalog;
    private final Diagnostics diags;
    private final FormatRules formats;
    /** Parameters pig does not act on, by module, with where each is first written. */
    private final Map<Module, Map<String, Source>> notActing = new EnumMap<>(Module.class);

    ParamChecks(ParamCatalog catalog, Diagnostics diags) {
        this.catalog = catalog;
        this.diags = diags;
        this.formats = new FormatRules(diags);
    }

    /** Group and host names, then every layer of variables, then the not-acted-on warnings. */
    void check(Inventory inv) {
        for (Group g : inv.groups().values()) {
            checkName("group name", g.name(), g.source());
        }
        inv.hosts().forEach((h, src) -> checkName("host", h, src));
        checkLayer(inv.allVars(), "all.vars");
        for (Group g : inv.groups().values()) {
            checkLayer(g.vars(), g.name() + ".vars");
            g.hostVars().forEach((h, vars) -> checkLayer(vars, "host " + h));
        }
        inv.extraVars().forEach((src, vars) -> checkLayer(vars, src));
        warnNotActing();
    }

    // ---- names and types, checked once where they are written ----

    private void checkLayer(YNode.Map layer, String where) {
        for (YNode.Entry e : layer.entries().values()) {
            redactSecrets(e);
        }
        for (YNode.Entry e : layer.entries().values()) {
            checkName("parameter name", e.key(), e.keySource());
            checkText(e.key(), e.key(), e.value(), TAB_SEPARATED_LINES.contains(e.key()));
            Optional<Param> p = catalog.find(e.key());
            if (p.isEmpty()) {
                List<String> close = catalog.suggestions(e.key());
                String hint = close.isEmpty()
                        ? "Check the spelling; 'pig params' lists every parameter pig knows."
                        : "Did you mean '" + close.get(0) + "'?" + (close.size() > 1
                        ? " (or " + String.join(", ", close.subList(1, close.size())) + ")" : "");
                diags.error("unknown parameter '" + e.key() + "' in " + where, e.keySource(), hint);
                continue;
            }
            Param param = p.get();
            if (!param.acts()) {
                notActing.computeIfAbsent(param.module(), m -> new TreeMap<>()).merge(param.name(), e.keySource(),
                        (a, b) -> earlier(a, b));
            }
            Object value = e.value().plain();
            Optional<String> wrongType = param.type().check(value, param.values());
            wrongType.ifPresent(problem ->
                    diags.error("parameter '" + param.name() + "' has the wrong type: " + problem, e.value().source(),
                            "Set it to " + expected(param) + "; see 'pig params " + param.name() + "'."));
            if (wrongType.isEmpty()) {
                formats.check(param.name(), e.value());
            }
        }
    }

    /**
     * A host's resolved variables as the modules read them: a value that came from a
     * {@code ${...}} placeholder is type-checked now that it is known (the file could not be), and
     * quoted integers of integer parameters become numbers.
     */
    Map<String, Var> typed(Map<String, Var> vars) {
        Map<String, Var> out = new LinkedHashMap<>();
        for (Var v : vars.values()) {
            Optional<Param> p = catalog.find(v.name());
            if (p.isEmpty() || !(v.node() instanceof YNode.Scalar s)) {
                out.put(v.name(), v);
                continue;
            }
            Param param = p.get();
            if (s.raw().contains("${") && !(s.value() instanceof String str && str.contains("${"))) {
                Optional<String> wrongType = param.type().check(s.value(), param.values());
                wrongType.ifPresent(problem ->
                        diags.error("parameter '" + param.name() + "' has the wrong type once '" + s.raw() + "' is resolved: "
                                + problem, s.source(), "Set it, or the variables it refers to, to " + expected(param) + "."));
                if (wrongType.isEmpty()) {
                    formats.check(param.name(), s);
                }
            }
            Object typedValue = param.type().normalise(s.value(), param.values());
            out.put(v.name(), typedValue == s.value() ? v
                    : new Var(v.name(), new YNode.Scalar(typedValue, s.raw(), s.quoted(), s.source()), v.origin(), v.detail(), v.source()));
        }
        return out;
    }

    private static String expected(Param p) {
        return switch (p.type()) {
            case ENUM -> "one of " + String.join(", ", p.values());
            case PORT -> "a port number such as " + (p.defaultValue() == null ? "5432" : p.defaultValue());
            case IP -> "an IP address such as " + (p.defaultValue() == null ? "10.10.10.10" : p.defaultValue());
            case CIDR -> "an address with prefix length such as 10.10.10.2/24";
            case PATH -> "an absolute path such as " + (p.defaultValue() == null ? "/data" : p.defaultValue());
            default -> "a value of type " + p.type().name().toLowerCase(Locale.ROOT);
        };
    }

    // ---- control characters: refused in every value, key and name ----

    private void checkName(String what, String name, Source at) {
        ControlChars.first(name, false).ifPresent(i -> diags.error(what + " '" + name + "' holds "
                + ControlChars.describe(name.charAt(i)), at, CONTROL_HINT));
    }

    /**
     * Every string under a parameter, keys of mappings included ({@code pg_parameters} keys,
     * {@code redis_instances} ports), is free of control characters.
     */
    private void checkText(String param, String path, YNode n, boolean allowTab) {
        if (n instanceof YNode.Scalar s) {
            if (s.value() instanceof String str) {
                ControlChars.first(str, allowTab).ifPresent(i -> diags.error("the value of " + path + " holds "
                        + ControlChars.describe(str.charAt(i)) + " at character " + (i + 1), s.source(), CONTROL_HINT));
            }
        } else if (n instanceof YNode.Seq seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                checkText(param, path + "[" + i + "]", seq.items().get(i), allowTab);
            }
        } else if (n instanceof YNode.Map m) {
            for (YNode.Entry e : m.entries().values()) {
                ControlChars.first(e.key(), false).ifPresent(i -> diags.error("a key of " + path + " holds "
                        + ControlChars.describe(e.key().charAt(i)), e.keySource(), CONTROL_HINT));
                boolean tab = allowTab || HBA_PARAMS.contains(param) && e.key().equals("rules");
                checkText(param, path + "." + e.key(), e.value(), tab);
            }
        }
    }

    // ---- what pig accepts but does not act on ----

    /**
     * One warning per module for the parameters pig accepts but does not act on, not one per
     * key: a Pigsty inventory names dozens of them (its INFRA, DOCKER or KAFKA settings), and a
     * wall of warnings would hide the few that matter.
     */
    private void warnNotActing() {
        notActing.forEach((module, names) -> {
            Source first = names.values().stream().reduce(ParamChecks::earlier).orElse(Source.NONE);
            int n = names.size();
            String some = n + " " + module + " parameter" + (n == 1 ? "" : "s");
            String list = String.join(", ", names.keySet());
            if (module.deployed()) {
                diags.warning(some + (n == 1 ? " is" : " are") + " accepted but pig does not act on "
                                + (n == 1 ? "it" : "them") + " yet: " + list, first,
                        n == 1 ? "It is kept in the model; no task uses it in this version."
                                : "They are kept in the model; no task uses them in this version.");
            } else {
                diags.warning(some + (n == 1 ? " is" : " are") + " not acted on: pig does not deploy " + module, first,
                        "Accepted so the inventory reads as it does for Pigsty: " + list + ".\n"
                                + "pig deploys " + String.join(", ", java.util.Arrays.stream(Module.values())
                                .filter(Module::deployed).map(Enum::name).toList()) + "; 'pig params " + module
                                + "' lists the module's parameters.");
            }
        });
    }

    private static Source earlier(Source a, Source b) {
        if (!a.known()) {
            return b;
        }
        if (!b.known() || !a.file().equals(b.file())) {
            return a;
        }
        return b.line() < a.line() || b.line() == a.line() && b.column() < a.column() ? b : a;
    }

    // ---- secrets ----

    /**
     * Registers the secrets of an entry so no excerpt shows them: values of secret parameters, of
     * keys that name a password (a misspelt parameter too), and {@code password} fields of entries
     * such as {@code pg_users}.
     */
    private void redactSecrets(YNode.Entry e) {
        boolean secret = catalog.find(e.key()).map(p -> p.type() == ParamType.SECRET)
                .orElse(false) || e.key().toLowerCase(Locale.ROOT).contains("password");
        if (secret && e.value() instanceof YNode.Scalar s) {
            diags.redact(s.source(), s.raw());
            if (s.value() instanceof String str && !str.isEmpty() && str.length() < dev.pig.core.plan.Masker.SHORT
                    && !str.contains("${") && !str.contains("{{")) {
                // too short to hide: masking two or three characters everywhere would blank
                // ordinary text, so output masks them only between delimiters, and one character
                // not at all; and a password this short is found by guessing in moments anyway
                diags.warning("'" + e.key() + "' is " + str.length() + " character" + (str.length() == 1 ? "" : "s")
                                + " long: too short to be a secret", s.source(),
                        "Use a long random value (pig inventory passwords --generate writes them); pig cannot hide one this"
                                + " short reliably in plans and logs.");
            }
        } else if (e.value() instanceof YNode.Map m) {
            m.entries().values().forEach(this::redactSecrets);
        } else if (e.value() instanceof YNode.Seq seq) {
            for (YNode item : seq.items()) {
                if (item instanceof YNode.Map m) {
                    m.entries().values().forEach(this::redactSecrets);
                }
            }
        }
    }
}
