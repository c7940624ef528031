package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.diag.PigException;
import dev.pig.core.ext.Extension;
import dev.pig.core.ext.ExtensionCatalog;
import dev.pig.core.ext.Resolution;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.fact.PackageState;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.PlanContext;

/**
 * {@code pg_extensions} by Pigsty's names, installed in one package transaction after the server
 * (Pigsty's {@code pg_extension} tag). Each name is looked up in pig's extension catalog
 * ({@code param/extensions.yml}); a name the catalog does not know is taken as a package name
 * ({@code postgresql-$v-...}), with {@code $v} and {@code ${pg_version}} replaced.
 *
 * <pre>
 * pg_extensions: [ postgis, pg_cron, "postgresql-$v-repack" ]
 * </pre>
 *
 * Planning refuses, naming the extension, the OS release and the PostgreSQL version, a name with
 * no package there (the catalog says why: packaged only by Pigsty's repository, only for another
 * version ...) and a package the host's package sources do not have (its apt candidate, read
 * with the facts): such a run would otherwise stop in the middle of an apply on an apt error.
 */
final class Extensions extends BaseTask {
    static final String TAG = "pg_extension";

    private final List<String> names;
    private final int version;
    /** The package of each name, as far as it is known without the host's OS release. */
    private final Map<String, String> packageOf;

    Extensions(List<String> names, int version) {
        super("extensions " + String.join(", ", ExtensionCatalog.names(names)), TAG);
        this.names = ExtensionCatalog.names(names);
        this.version = version;
        this.packageOf = packages(this.names, version);
    }

    /** The package each name needs: the catalog's, or the name itself when it is no name the catalog knows. */
    static Map<String, String> packages(List<String> names, int version) {
        ExtensionCatalog catalog = ExtensionCatalog.builtIn();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            Optional<Extension> e = catalog.find(name);
            if (e.isPresent()) {
                e.get().packageFor(version).filter(p -> !e.get().contrib()).ifPresent(p -> out.put(name, p));
            } else if (!catalog.isBundle(name)) {
                out.put(name, name.replace("${pg_version}", String.valueOf(version)).replace("$v", String.valueOf(version)));
            }
        }
        return out;
    }

    /** The packages, each once. */
    List<String> packageNames() {
        return List.copyOf(new LinkedHashSet<>(packageOf.values()));
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.packages(packageNames().toArray(new String[0]));
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        ExtensionCatalog catalog = ExtensionCatalog.builtIn();
        String os = facts.os().codename();
        String where = facts.os().prettyName().isBlank() ? facts.os().id() + " " + facts.os().version() : facts.os().prettyName();
        List<String> problems = new ArrayList<>();
        List<String> known = names.stream().filter(catalog::knows).toList();
        Resolution r = catalog.resolve(known, os, version);
        r.missing().forEach(m -> problems.add(m.reason()));
        Set<String> refused = new LinkedHashSet<>();
        r.missing().forEach(m -> refused.add(m.name()));
        // the package lists say what the catalog cannot: whether this host's sources have it; a
        // source this plan adds (node_repo) is not in the lists yet, so then apt decides
        boolean sourcesChange = ctx.changedUnder("/etc/apt");
        List<String> install = new ArrayList<>();
        Map<String, List<String>> namesOf = new LinkedHashMap<>();
        packageOf.forEach((n, p) -> {
            if (!refused.contains(n)) {
                namesOf.computeIfAbsent(p, k -> new ArrayList<>()).add(n);
            }
        });
        namesOf.forEach((pkg, of) -> {
            PackageState s = facts.pkg(pkg);
            if (s.installed()) {
                return;
            }
            if (!sourcesChange && s.available().equals(Optional.of(false))) {
                boolean pgdg = r.packages().stream().anyMatch(p -> p.name().equals(pkg) && p.source() == Resolution.Source.PGDG);
                problems.add(String.join(", ", of) + ": package " + pkg + " is in none of this host's package sources"
                        + (pgdg ? " (it comes from PGDG, apt.postgresql.org: add it with repo_upstream and node_repo_modules)"
                        : " (apt-cache policy shows no candidate)"));
                return;
            }
            install.add(pkg);
        });
        if (!problems.isEmpty()) {
            throw new PigException(PigException.Kind.FAILED, "pg_extensions cannot be installed on " + where + " with PostgreSQL "
                    + version + ":\n  - " + String.join("\n  - ", problems)
                    + "\n  Remove them from pg_extensions, or add a package source that has them ('pig ext resolve NAME --os "
                    + (os.isBlank() ? "RELEASE" : os) + " --pg " + version + "' says where each comes from).");
        }
        if (install.isEmpty()) {
            return noop(names.isEmpty() ? "no pg_extensions"
                    : packageOf.isEmpty() ? "pg_extensions " + String.join(", ", names) + " come with the server"
                    : "the packages of pg_extensions are installed: " + String.join(" ", packageNames()));
        }
        return act(Action.CREATE, "install " + String.join(" ", install) + " (pg_extensions)",
                List.of(Step.Exec.of(PackagesTask.installCommand(facts.os(), facts.host(), install), ctx.masker())), "");
    }
}
