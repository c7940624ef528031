package dev.pig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import dev.pig.core.diag.ControlChars;
import dev.pig.core.diag.PigException;
import dev.pig.core.ssh.Connections;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code pig} command: its subcommands are the verbs ({@link #VERBS}, added by {@link #run}). */
@Command(name = "pig",
        mixinStandardHelpOptions = true,
        versionProvider = PigCommand.Version.class,
        description = "Production PostgreSQL on your own machines, from one Pigsty-style YAML file.")
public final class PigCommand implements Runnable {
    /** pig's verbs, in the order its help lists them. */
    static final List<Class<?>> VERBS = List.of(
            InventoryCommand.class,
            ParamsCommand.class,
            FactsCommand.class,
            StatusCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            DeployCommand.class,
            NodeCommand.class,
            InfraCommand.class,
            EtcdCommand.class,
            MinioCommand.class,
            PgsqlCommand.class,
            RedisCommand.class,
            SandboxCommand.class,
            ExtCommand.class,
            CertCommand.class,
            ConfigureCommand.class,
            CompletionCommand.class,
            CompleteCommand.class,
            CommandLine.HelpCommand.class);

    /** Verbs that read the whole command tree: help and the completion scripts. */
    private static final Set<Class<?>> WHOLE_TREE = Set.of(CommandLine.HelpCommand.class, CompletionCommand.class, CompleteCommand.class);

    @Spec
    CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and debug logging.")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs pig with the given arguments and streams, returning the exit code. Used by
     * {@link Main} and, in-process, by the CLI tests.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, null);
    }

    /**
     * Runs pig with connections opened by {@code opener} instead of SSH (null for the usual
     * transports): the in-process CLI tests reach fake hosts this way.
     */
    static int run(String[] args, PrintStream out, PrintStream err, Connections.Opener opener) {
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        Logging.configure(debug || "debug".equalsIgnoreCase(System.getProperty("pig.log")));
        Factory factory = new Factory(opener);
        CommandLine cli = new CommandLine(new PigCommand(), factory);
        // picocli reads a verb's annotations when the verb is added, a quarter of a plan's start
        // for all of them: a run adds the verb it names alone, and the whole tree only when it
        // names none, or one that is not a verb (its error suggests the near ones), help or a
        // completion script
        for (Class<?> verb : verbsFor(args)) {
            cli.addSubcommand(new CommandLine(verb, factory));
        }
        // '-e @vars.yml' is Ansible's extra-vars file, not a picocli argument file
        cli.setExpandAtFiles(false);
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        withHelp(cli);
        cli.setExitCodeExceptionMapper(ex -> exitCodeOf(ex));
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("Error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter e = c.getErr();
            // messages may quote inventory values or a host's output: never let them drive the terminal
            if (ex instanceof PigException pe) {
                e.println(ControlChars.escapeKeepingLines(pe.render()));
            } else {
                e.println(ControlChars.escapeKeepingLines("Error: internal error: " + ex));
                if (!debug) {
                    e.println("  Run again with --debug for the stack trace, and please report it.");
                }
            }
            if (debug) {
                ex.printStackTrace(e);
            }
            e.flush();
            return exitCodeOf(ex);
        });
        int code = cli.execute(args);
        outWriter.flush();
        errWriter.flush();
        return code;
    }

    /**
     * The verbs a run needs: the one its first word names, or all of them. pig's own options
     * ({@code --debug}, {@code -h}, {@code -V}) take no value, so the first word not starting with
     * {@code -} is the verb.
     */
    static List<Class<?>> verbsFor(String[] args) {
        String word = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        if (word == null) {
            return VERBS;
        }
        for (Class<?> verb : VERBS) {
            Command c = verb.getAnnotation(Command.class);
            if (c.name().equals(word) || java.util.Arrays.asList(c.aliases()).contains(word)) {
                return WHOLE_TREE.contains(verb) ? VERBS : List.of(verb);
            }
        }
        return VERBS;
    }

    /** Every command and subcommand answers {@code -h/--help}. */
    private static void withHelp(CommandLine c) {
        if (!c.getCommandSpec().mixinStandardHelpOptions() && !(c.getCommand() instanceof CommandLine.HelpCommand)) {
            c.getCommandSpec().mixinStandardHelpOptions(true);
        }
        c.getSubcommands().values().forEach(PigCommand::withHelp);
    }

    static int exitCodeOf(Throwable ex) {
        return ex instanceof PigException pe ? ExitCodes.of(pe.kind()) : ExitCodes.INTERNAL;
    }

    /** Creates commands and mixins; {@link RunOptions} get the run's connection opener. */
    private record Factory(Connections.Opener opener) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == RunOptions.class) {
                return cls.cast(new RunOptions(opener));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = PigCommand.class.getResourceAsStream("/pig-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"pig " + p.getProperty("version", "unknown")
                    + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
