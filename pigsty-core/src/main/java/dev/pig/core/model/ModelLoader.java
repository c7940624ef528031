package dev.pig.core.model;

import java.nio.file.Path;
import java.util.List;

import dev.pig.core.diag.Diagnostics;
import dev.pig.core.inventory.Inventory;
import dev.pig.core.inventory.InventoryLoader;
import dev.pig.core.param.ParamCatalog;

/** Reads an inventory file into a validated model: the one entry point commands use. */
public final class ModelLoader {
    private ModelLoader() {
    }

    /** A model with the warnings found while building it. */
    public record Loaded(Inventory inventory, ClusterModel model, Diagnostics diagnostics) {
    }

    /**
     * Loads and validates; throws {@link dev.pig.core.diag.InvalidInputException} carrying every
     * problem when there is any error.
     */
    public static Loaded load(Path file, List<String> extraVars) {
        Diagnostics diags = new Diagnostics();
        Inventory inv = InventoryLoader.load(file, extraVars, diags).orElse(null);
        if (inv == null) {
            diags.throwIfErrors();
            throw new IllegalStateException("inventory not loaded but no error reported");
        }
        ClusterModel model = ModelBuilder.build(inv, ParamCatalog.builtIn(), diags);
        diags.throwIfErrors();
        return new Loaded(inv, model, diags);
    }
}
