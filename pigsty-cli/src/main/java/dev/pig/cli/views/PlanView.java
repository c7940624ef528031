package dev.pig.cli.views;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.PlanJson;
import dev.pig.core.plan.PlanRenderer;

/**
 * A plan for people (one line per change, diffs indented, the summary; {@code -v} adds the
 * no-ops with their reasons) or for scripts (JSON, secrets masked), and what planning cost.
 */
public final class PlanView extends View {

    public PlanView(PrintWriter out, PrintWriter err) {
        super(out, err);
    }

    public void human(Plan plan, boolean verbose) {
        out.print(PlanRenderer.text(plan, verbose));
        out.flush();
    }

    /** The masked view of {@code pig plan --json}: never a plan file that can be applied. */
    public void json(Plan plan, Masker masker) {
        out.println(PlanJson.view(plan, masker));
        out.flush();
    }

    /** One line on what planning cost: hosts, round trips, time. */
    public void cost(Map<String, Integer> roundTrips, long nanos) {
        int hosts = roundTrips.size();
        int max = roundTrips.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        err.println(String.format("Facts from %d host(s) in %.1f s, %s.", hosts, nanos / 1e9,
                max <= 1 ? "one round trip each" : "at most " + max + " round trips per host"));
        err.flush();
    }

    /** How a plan from recorded facts was made: when they were recorded, and how many hosts were reached (none). */
    public void recorded(java.time.Instant when, int reached, long nanos) {
        err.println(String.format("Planned from facts recorded %s in %.1f s; %s.", when, nanos / 1e9,
                reached == 0 ? "no host was reached" : reached + " host(s) were reached"));
        err.flush();
    }

    public void saved(Path file, Path inventory) {
        err.println("Plan saved to " + file + "; apply it with: pig apply -i " + inventory + " " + file);
        err.flush();
    }
}
