package dev.pig.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import dev.pig.core.param.Module;
import dev.pig.core.param.Param;
import dev.pig.core.param.ParamCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pig params [NAME|MODULE]}: the parameter catalog. */
@Command(name = "params", description = "List the parameters pig knows, or show one parameter or module.")
public final class ParamsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME|MODULE", description = "A parameter name (pg_port) or a module (PGSQL).")
    String query;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--markdown", description = "Print the Markdown reference (docs/parameters.md).")
    boolean markdown;

    @Override
    public Integer call() {
        ParamCatalog catalog = ParamCatalog.builtIn();
        PrintWriter out = spec.commandLine().getOut();
        List<Param> params = catalog.all();
        if (query != null) {
            Optional<Param> one = catalog.find(query);
            Optional<Module> module = moduleOf(query);
            if (one.isPresent()) {
                params = List.of(one.get());
                if (!json && !markdown) {
                    printOne(out, one.get());
                    return ExitCodes.OK;
                }
            } else if (module.isPresent()) {
                params = catalog.byModule(module.get());
            } else {
                List<String> close = catalog.suggestions(query);
                throw new PigException(PigException.Kind.USAGE, "no parameter or module named '" + query + "'"
                        + (close.isEmpty() ? "" : "\n  Did you mean '" + close.get(0) + "'?")
                        + "\n  Modules: " + String.join(", ", java.util.Arrays.stream(Module.values()).map(Enum::name).toList()));
            }
        }
        if (json) {
            Json.print(out, params.stream().map(ParamsCommand::asMap).toList());
        } else if (markdown) {
            out.print(ParamsMarkdown.render(params));
        } else {
            int w = params.stream().mapToInt(p -> p.name().length()).max().orElse(4);
            out.printf("%-" + w + "s  %-6s  %-5s  %-8s  %s%n", "NAME", "MODULE", "LEVEL", "TYPE", "DEFAULT");
            for (Param p : params) {
                String d = p.defaultText();
                if (d.length() > 60) {
                    d = d.substring(0, 57) + "...";
                }
                out.printf("%-" + w + "s  %-6s  %-5s  %-8s  %s%n", p.name(), p.module(), p.level().code(),
                        p.type().name().toLowerCase(Locale.ROOT), d);
            }
            out.println();
            out.println(params.size() + " parameter(s). 'pig params NAME' shows one in full.");
        }
        return ExitCodes.OK;
    }

    private static Optional<Module> moduleOf(String q) {
        try {
            return Optional.of(Module.valueOf(q.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void printOne(PrintWriter out, Param p) {
        out.println(p.name());
        out.println("  module:  " + p.module() + (p.section().isEmpty() ? "" : " / " + p.section()));
        out.println("  level:   " + p.level().code() + " (" + p.level().name().toLowerCase(Locale.ROOT) + ")");
        out.println("  type:    " + p.type().name().toLowerCase(Locale.ROOT)
                + (p.values().isEmpty() ? "" : " (" + String.join(", ", p.values()) + ")"));
        out.println("  default: " + p.defaultText());
        out.println("  used:    " + (p.acts() ? "yes" : "not yet (accepted with a warning)"));
        out.println();
        out.println("  " + p.description());
    }

    private static Map<String, Object> asMap(Param p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("module", p.module().name());
        m.put("section", p.section());
        m.put("level", p.level().code());
        m.put("type", p.type().name().toLowerCase(Locale.ROOT));
        if (!p.values().isEmpty()) {
            m.put("values", p.values());
        }
        m.put("default", p.defaultValue());
        m.put("acts", p.acts());
        m.put("description", p.description());
        return m;
    }
}
