package dev.pig.cli.views;

import java.io.PrintWriter;
import java.util.List;

import dev.pig.core.diag.Diagnostic;
import dev.pig.core.model.ModelLoader;

/** What every view prints besides its own result: the inventory's warnings, notes and lines of a result. */
public class View {
    protected final PrintWriter out;
    protected final PrintWriter err;

    public View(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** The warnings of loading the inventory, each with its position and excerpt. */
    public void warnings(ModelLoader.Loaded loaded) {
        for (Diagnostic d : loaded.diagnostics().warnings()) {
            err.print(d.render());
        }
        err.flush();
    }

    /** A warning about the run ({@code group 'infra' is skipped ...}). */
    public void warning(String text) {
        err.println("Warning: " + text + ".");
        err.flush();
    }

    /** An error that does not end the run (a host that did not answer, the rest did). */
    public void error(String text) {
        err.println("Error: " + text);
        err.flush();
    }

    /** Lines of a result or a note on it, on stdout. */
    public void lines(List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }
}
