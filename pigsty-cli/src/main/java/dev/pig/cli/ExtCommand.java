package dev.pig.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import dev.pig.core.ext.Extension;
import dev.pig.core.ext.ExtensionCatalog;
import dev.pig.core.ext.Resolution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pig ext list|resolve}: the extension catalog, and what a list of names needs. */
@Command(name = "ext", description = "PostgreSQL extensions by Pigsty's names and the Debian packages that carry them.",
        subcommands = {ExtCommand.ListCommand.class, ExtCommand.ResolveCommand.class})
public final class ExtCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code pig ext list}: every name, its package and where it is available. */
    @Command(name = "list", description = "List the extensions pig knows: name, package, and the Debian releases and PGDG that have it.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            ExtensionCatalog catalog = ExtensionCatalog.builtIn();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Extension e : catalog.all()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", e.name());
                    m.put("package", e.pkg().orElse(null));
                    m.put("provides", e.provides());
                    m.put("aliases", e.aliases());
                    m.put("debian", e.debian().stream().sorted().toList());
                    m.put("pgdg", e.pgdg());
                    m.put("contrib", e.contrib());
                    m.put("elsewhere", e.elsewhere().orElse(null));
                    rows.add(m);
                }
                Json.print(out, rows);
                return ExitCodes.OK;
            }
            List<String> releases = List.copyOf(catalog.releases().keySet());
            int w = catalog.all().stream().mapToInt(e -> e.name().length()).max().orElse(4);
            int pw = catalog.all().stream().mapToInt(e -> e.pkg().orElse("-").length()).max().orElse(7);
            StringBuilder head = new StringBuilder(String.format("%-" + w + "s  %-" + pw + "s", "NAME", "PACKAGE"));
            for (String r : releases) {
                dev.pig.core.os.OsRelease rel = catalog.releases().get(r);
                head.append(String.format("  %-12s", r + "/" + rel.pg()));
            }
            out.println(head.append("  PGDG  CREATE EXTENSION").toString().stripTrailing());
            for (Extension e : catalog.all()) {
                StringBuilder b = new StringBuilder(String.format("%-" + w + "s  %-" + pw + "s", e.name(),
                        e.contrib() ? "(contrib)" : e.pkg().orElse("-")));
                for (String r : releases) {
                    b.append(String.format("  %-12s", e.contrib() || e.debian().contains(r) ? "yes" : "-"));
                }
                b.append(String.format("  %-4s  ", e.contrib() || e.pgdg() ? "yes" : "-"));
                b.append(String.join(", ", e.provides()));
                out.println(b.toString().stripTrailing());
            }
            out.println();
            out.println(catalog.all().size() + " extension(s). $v is the PostgreSQL major version; '-' under every source means "
                    + "packaged elsewhere ('pig ext resolve NAME --os R --pg V' says where).");
            return ExitCodes.OK;
        }
    }

    /** {@code pig ext resolve NAME... --os R --pg V}: the packages the names need there. */
    @Command(name = "resolve", description = "Show the packages that provide NAMEs on an OS release with a PostgreSQL version, "
            + "and why a name has none (exit 1 then).")
    static final class ResolveCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Extension names as Pigsty writes them (postgis, pgvector, vector ...).")
        List<String> names;

        @Option(names = "--os", required = true, paramLabel = "RELEASE", description = "Debian codename: bookworm (12) or trixie (13).")
        String os;

        @Option(names = "--pg", required = true, paramLabel = "VERSION", description = "PostgreSQL major version.")
        int pg;

        @Override
        public Integer call() {
            ExtensionCatalog catalog = ExtensionCatalog.builtIn();
            if (!catalog.releases().containsKey(os)) {
                throw new PigException(PigException.Kind.USAGE, "no package data for OS release '" + os + "'\n  Known: "
                        + String.join(", ", catalog.releases().keySet()));
            }
            Resolution r = catalog.resolve(names, os, pg);
            PrintWriter out = spec.commandLine().getOut();
            for (Resolution.Package p : r.packages()) {
                out.println(p.name() + "  (" + (p.source() == Resolution.Source.DEBIAN ? "Debian archive" : "PGDG repository")
                        + ")  for " + String.join(", ", p.names())
                        + (p.provides().isEmpty() ? "" : "; CREATE EXTENSION " + String.join(", ", p.provides())));
            }
            for (String b : r.builtIn()) {
                out.println(b + "  (part of postgresql-" + pg + ", nothing to install)");
            }
            for (Resolution.Missing m : r.missing()) {
                spec.commandLine().getErr().println("Error: " + m.reason());
            }
            return r.complete() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
