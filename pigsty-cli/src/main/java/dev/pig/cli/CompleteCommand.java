package dev.pig.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.Group;
import dev.pig.core.inventory.Inventory;
import dev.pig.core.inventory.InventoryLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig __complete clusters|redis|hosts|targets}: the words the completion script offers, one a
 * line. Hidden; quiet on a broken or missing inventory, since a completion must never print an
 * error into the user's command line.
 */
@Command(name = "__complete", hidden = true, description = "Words for shell completion from the inventory.")
public final class CompleteCommand implements Callable<Integer> {
    /** What to list. */
    enum What { clusters, redis, hosts, targets }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "WHAT")
    What what;

    @Option(names = {"-i", "--inventory"}, defaultValue = "pigsty.yml")
    Path inventory;

    @Override
    public Integer call() {
        Diagnostics d = new Diagnostics();
        Inventory inv;
        try {
            inv = InventoryLoader.load(inventory, List.of(), d).orElse(null);
        } catch (RuntimeException e) {
            inv = null;
        }
        if (inv == null) {
            return ExitCodes.OK;
        }
        Set<String> words = new LinkedHashSet<>();
        if (what != What.hosts) {
            for (Group g : inv.groups().values()) {
                if (what == What.targets || what == What.clusters && g.var("pg_cluster") != null
                        || what == What.redis && g.var("redis_cluster") != null) {
                    words.add(g.name());
                }
            }
        }
        if (what == What.hosts || what == What.targets) {
            words.addAll(inv.hosts().keySet());
        }
        PrintWriter out = spec.commandLine().getOut();
        words.forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }
}
