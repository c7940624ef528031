package dev.pig.cli.views;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.ApplyResult;
import dev.pig.core.exec.HostFailure;
import dev.pig.core.exec.ProgressListener;
import dev.pig.core.exec.StepReport;

/**
 * An apply as it goes: the question before it, a line when each step starts and one when it is
 * done, each host that fails, and the summary.
 */
public final class ApplyView extends View implements ProgressListener {

    public ApplyView(PrintWriter out, PrintWriter err) {
        super(out, err);
    }

    /** Asks before applying; without a terminal to ask on, refuses. */
    public boolean confirm() {
        if (System.console() == null) {
            throw new PigException(PigException.Kind.USAGE, "not applying without confirmation: run with -y to apply non-interactively");
        }
        out.print("Apply these changes? Only 'yes' applies: ");
        out.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return "yes".equals(line == null ? "" : line.trim());
        } catch (IOException e) {
            return false;
        }
    }

    /** The one wording of every command's "no" to the question. */
    public void cancelled() {
        err.println("Apply cancelled; nothing was changed.");
        err.flush();
    }

    @Override
    public void stepStarted(int index, int total, String task, int hosts) {
        out.println(StepReport.startLine(index, total, task, hosts));
        out.flush();
    }

    @Override
    public void stepDone(StepReport r) {
        out.println(r.line());
        out.flush();
    }

    @Override
    public void hostFailed(HostFailure f) {
        error(f.toString());
    }

    /** The summary of a finished apply; {@code changes} counted over every host. */
    public void summary(ApplyResult r, int changes, long nanos) {
        String took = String.format("%.1f s", nanos / 1e9);
        if (r.ok()) {
            out.println("Apply complete: " + changes + " change(s) on " + r.changed().values().stream().filter(n -> n > 0).count()
                    + " host(s) in " + took + ".");
            out.flush();
            return;
        }
        err.println();
        err.println("Apply failed on " + r.failures().size() + " host(s); " + changes + " change(s) were made elsewhere in " + took + ":");
        for (HostFailure f : r.failures()) {
            err.println("  " + f);
        }
        err.println("Fix the cause and run again: hosts that converged report no changes.");
        err.flush();
    }
}
