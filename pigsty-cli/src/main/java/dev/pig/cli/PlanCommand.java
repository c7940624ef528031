package dev.pig.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactsFile;
import dev.pig.core.model.ModelLoader;
import picocli.CommandLine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pig plan}: what a deploy would change on each host, and why; changes nothing. */
@Command(name = "plan", description = "Show what would change on each host and why; change nothing.")
public final class PlanCommand extends HostsCommand {
    @Option(names = "--json", description = "Print the plan as JSON, secrets masked (a view: apply only takes a file saved with -o).")
    boolean json;

    @Option(names = {"-o", "--out"}, paramLabel = "PLANFILE",
            description = "Save the plan for 'pig apply PLANFILE' (mode 0600: it holds the commands as they will run, secrets included).")
    Path out;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    boolean detailedExitCode;

    @Option(names = {"-v", "--verbose"}, description = "Also list what needs no change, with the reason.")
    boolean verbose;

    @Option(names = "--facts", paramLabel = "FILE",
            description = "Plan from facts recorded with 'pig facts -o FILE' instead of asking the hosts: no host is reached.")
    Path facts;

    @Option(names = "--facts-max-age", paramLabel = "AGE", defaultValue = "24h", converter = MaxAge.class,
            description = "Refuse recorded facts older than this: 90s, 30m, 24h, 7d, or 'any' (default: ${DEFAULT-VALUE}).")
    Duration factsMaxAge;

    @Override
    public Integer call() {
        // the facts file is read while the inventory loads: neither needs the other. Its problems
        // still come first, as when it was read before the inventory.
        CompletableFuture<Optional<FactsFile>> recorded = CompletableFuture
                .supplyAsync(() -> Optional.ofNullable(facts).map(f -> fresh(FactsFile.load(f), f)));
        ModelLoader.Loaded loaded;
        try {
            loaded = inventory.load();
        } catch (RuntimeException | Error e) {
            join(recorded);
            throw e;
        }
        return workflow().plan(loaded, Request.deploy(run.selection()),
                new Workflow.Show(json, verbose, out, inventory.inventory, detailedExitCode), join(recorded));
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The recorded facts, refused when older than {@code --facts-max-age}. */
    private FactsFile fresh(FactsFile f, Path file) {
        Duration age = f.age(Instant.now());
        if (factsMaxAge != null && age.compareTo(factsMaxAge) > 0) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "the facts in " + file + " were recorded " + f.recorded()
                    + ", " + MaxAge.show(age) + " ago, past the limit of " + MaxAge.show(factsMaxAge) + "; nothing was planned"
                    + "\n  Record them again with 'pig facts -o " + file + "', or accept them with --facts-max-age=any"
                    + " (or a longer age).");
        }
        return f;
    }

    /** An age: a number with s, m, h or d, or {@code any} (no limit, as null). */
    static final class MaxAge implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            if (v.equalsIgnoreCase("any")) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})([smhd])").matcher(v.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + v + "' is not an age: give a number with s, m, h or d"
                        + " (90s, 30m, 24h, 7d), or 'any'");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }

        static String show(Duration d) {
            long s = Math.max(0, d.getSeconds());
            if (s >= 86400 * 2) {
                return s / 86400 + "d" + (s % 86400 / 3600 > 0 ? " " + s % 86400 / 3600 + "h" : "");
            }
            if (s >= 3600) {
                return s / 3600 + "h" + (s % 3600 / 60 > 0 ? " " + s % 3600 / 60 + "m" : "");
            }
            return s >= 60 ? s / 60 + "m" : s + "s";
        }
    }
}
