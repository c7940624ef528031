package dev.pig.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.pig.core.model.ModelLoader;
import picocli.CommandLine.Option;

/** {@code -i} and {@code -e}, shared by every command that reads an inventory. */
public final class InventoryOptions {
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", defaultValue = "pigsty.yml",
            description = "Inventory file (default: ${DEFAULT-VALUE}).")
    Path inventory;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables over everything else: key=value, @file.yml or '{key: value}'. Repeatable.")
    List<String> extraVars = new ArrayList<>();

    /** Loads and validates the inventory; errors are thrown, warnings returned with the model. */
    ModelLoader.Loaded load() {
        return load(List.of());
    }

    /**
     * {@link #load()} with a command's own extra variables after the {@code -e} ones, so they win
     * ({@code pig pgsql rm --rm-data} is {@code -e pg_rm_data=true}).
     */
    ModelLoader.Loaded load(List<String> more) {
        List<String> vars = new ArrayList<>(extraVars);
        vars.addAll(more);
        return ModelLoader.load(inventory, vars);
    }
}
