package dev.pig.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.PigException;
import dev.pig.core.diag.Source;
import dev.pig.core.inventory.InventoryLoader;
import dev.pig.core.inventory.TextEdits;
import dev.pig.core.inventory.YNode;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.DefaultPasswords;
import dev.pig.core.model.ModelBuilder;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.param.ParamCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig inventory passwords [--generate]}: lists the guessable passwords of an inventory
 * (Pigsty's defaults, passwords equal to their user's name) and, with {@code --generate},
 * replaces them in the file with strong random ones, editing only the values themselves.
 */
@Command(name = "passwords", description = {
        "List the inventory's guessable passwords: Pigsty's defaults and passwords equal to their user's name.",
        "With --generate, replace them in the file with strong random passwords, keeping its comments and layout."})
final class InventoryPasswords implements Callable<Integer> {
    /** Letters and digits only: a generated password needs no escaping in any config format. */
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    /** 24 characters of 56: about 139 bits. */
    static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions options;

    @Option(names = "--generate", description = "Replace each guessable password in the file with a strong random one.")
    boolean generate;

    static final String HINT = "Anyone who knows Pigsty can guess it. 'pig inventory passwords --generate -i FILE' replaces it\n"
            + "in place with a strong one; plan, apply and deploy refuse it for hosts outside the sandbox\n"
            + "(" + DefaultPasswords.SANDBOX_CIDR + " and loopback) unless --allow-default-passwords.";

    /** The guessable passwords of a loaded inventory. */
    static List<DefaultPasswords.Finding> findings(ModelLoader.Loaded loaded) {
        Source allVars = allVarsSource(loaded);
        return DefaultPasswords.find(loaded.model(), ParamCatalog.builtIn(), allVars);
    }

    private static Source allVarsSource(ModelLoader.Loaded loaded) {
        YNode.Map vars = loaded.inventory().allVars();
        return vars.entries().values().stream().findFirst().map(YNode.Entry::keySource)
                .orElse(new Source(loaded.inventory().file(), 0, 0));
    }

    /** Adds a warning per guessable password to the loaded inventory's diagnostics. */
    static void warn(ModelLoader.Loaded loaded, Path file) {
        for (DefaultPasswords.Finding f : findings(loaded)) {
            loaded.diagnostics().warning(f.describe(), f.source(), HINT.replace("FILE", file.toString()));
        }
    }

    @Override
    public Integer call() {
        ModelLoader.Loaded loaded = options.load();
        PrintWriter out = spec.commandLine().getOut();
        List<DefaultPasswords.Finding> found = findings(loaded);
        if (!generate) {
            warn(loaded, options.inventory);
            InventoryCommand.printWarnings(spec.commandLine().getErr(), loaded);
            out.println(found.isEmpty() ? "No guessable password in " + options.inventory + "."
                    : found.size() + " guessable password(s) in " + options.inventory
                    + "; 'pig inventory passwords --generate' replaces them.");
            return ExitCodes.OK;
        }
        if (found.isEmpty()) {
            out.println("No guessable password in " + options.inventory + "; the file is unchanged.");
            return ExitCodes.OK;
        }
        return generate(loaded, found, out);
    }

    private int generate(ModelLoader.Loaded loaded, List<DefaultPasswords.Finding> found, PrintWriter out) {
        String file = loaded.inventory().file();
        String text = read(Path.of(file));
        // one new password per old one, so values that must agree (Supabase's users) still do
        Map<String, String> replacement = new LinkedHashMap<>();
        List<TextEdits.Replace> replaces = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> report = new ArrayList<>();
        List<String> byHand = new ArrayList<>();
        for (DefaultPasswords.Finding f : found) {
            String fresh = replacement.computeIfAbsent(f.value(), k -> random());
            if (f.written() && f.source().file().equals(file) && f.source().known()) {
                replaces.add(new TextEdits.Replace(f.source().line(), f.source().column(), f.value(), fresh));
                report.add("  line " + f.source().line() + ": " + f.what() + " " + f.reason() + "; now ***");
            } else if (!f.written() && !f.what().contains(".") && !f.what().contains("[")) {
                added.add(f.what() + ": " + fresh);
                report.add("  all.vars: " + f.what() + " " + f.reason() + "; set to ***");
            } else {
                byHand.add(f.what() + " (" + f.source() + ")");
            }
        }
        List<TextEdits.Insert> inserts = new ArrayList<>();
        if (!added.isEmpty()) {
            Optional<TextEdits.Insert> at = insertIntoAllVars(loaded, text, added);
            if (at.isEmpty()) {
                throw new PigException(PigException.Kind.USAGE, "cannot add " + String.join(", ", added.stream()
                        .map(a -> a.substring(0, a.indexOf(':'))).toList()) + " to all.vars of " + file
                        + ": it is missing or written as a {...} mapping\n  Give all.vars a block of 'key: value' lines and run again.");
            }
            inserts.add(at.get());
        }
        String edited = TextEdits.apply(text, replaces, inserts).orElseThrow(() -> new PigException(PigException.Kind.FAILED,
                "the values of " + file + " are not where they were read (a value spanning lines, or escapes in a"
                        + " double-quoted string); nothing was changed\n  Replace them by hand: " + String.join(", ",
                        replaces.stream().map(r -> "line " + r.line()).toList())));
        check(file, edited, loaded);
        write(Path.of(file), edited);
        out.println("Replaced " + report.size() + " guessable password(s) in " + file + " (comments and layout kept):");
        report.forEach(out::println);
        if (!byHand.isEmpty()) {
            out.println("Not in the file, change by hand: " + String.join(", ", byHand));
        }
        out.println("The new passwords are in the file only: keep it private (chmod 600).");
        return ExitCodes.OK;
    }

    /** The lines to add at the top of a block-style {@code all.vars}, indented like its keys. */
    private static Optional<TextEdits.Insert> insertIntoAllVars(ModelLoader.Loaded loaded, String text, List<String> lines) {
        Optional<YNode.Entry> first = loaded.inventory().allVars().entries().values().stream().findFirst();
        if (first.isEmpty() || !first.get().keySource().file().equals(loaded.inventory().file())) {
            return Optional.empty();
        }
        Source at = first.get().keySource();
        String[] all = text.split("\n", -1);
        String line = all[at.line() - 1];
        String indent = line.substring(0, Math.min(line.length(), at.column() - 1));
        if (!indent.isBlank()) {
            return Optional.empty(); // a flow mapping: { key: value, ... }
        }
        return Optional.of(new TextEdits.Insert(at.line(), lines.stream().map(l -> indent + l).toList()));
    }

    /** The edited text must load to the same model less the guessable passwords, or nothing is written. */
    private static void check(String file, String edited, ModelLoader.Loaded before) {
        Diagnostics d = new Diagnostics();
        Optional<ClusterModel> model = InventoryLoader.parse(file, edited, before.inventory().extraVars(), d)
                .map(inv -> ModelBuilder.build(inv, ParamCatalog.builtIn(), d));
        if (d.hasErrors() || model.isEmpty() || model.get().nodes().size() != before.model().nodes().size()) {
            throw new PigException(PigException.Kind.FAILED, "editing " + file + " would break it; nothing was changed:\n"
                    + d.render());
        }
    }

    static String random() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PigException(PigException.Kind.USAGE, "cannot read " + p + ": " + e.getMessage());
        }
    }

    /** Writes beside the file and renames over it, keeping its permissions: never half a file. */
    private static void write(Path p, String text) {
        try {
            Path dir = p.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + p.getFileName(), ".pig-new");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                    Files.setPosixFilePermissions(tmp, perms);
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the new file keeps the default permissions
                }
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "cannot write " + p + ": " + e.getMessage());
        }
    }
}
