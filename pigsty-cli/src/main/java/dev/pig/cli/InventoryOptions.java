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
        return ModelLoader.load(inventory, extraVars);
    }
}
