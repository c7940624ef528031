package dev.pig.core.plan;

/**
 * The human view of a plan: per host, one line per change, diffs indented, then the summary.
 * Control characters other than newline and tab are printed escaped.
 */
public final class PlanRenderer {
    private PlanRenderer() {
    }

    /**
     * @param verbose also list the no-ops with their reasons
     */
    public static String text(Plan plan, boolean verbose) {
        StringBuilder out = new StringBuilder();
        for (HostPlan h : plan.hosts()) {
            if (h.error() != null) {
                out.append(h.host()).append(": ! ").append(h.error()).append("\n\n");
                continue;
            }
            if (h.actions().isEmpty() && !verbose) {
                continue;
            }
            out.append(h.host()).append(":\n");
            for (Change c : h.changes()) {
                if (c instanceof Change.Act a) {
                    out.append("  ").append(a.action().symbol()).append(' ').append(a.summary()).append('\n');
                    if (!a.diff().isEmpty()) {
                        a.diff().lines().forEach(l -> out.append("      ").append(l).append('\n'));
                    }
                } else if (verbose && c instanceof Change.NoOp n) {
                    out.append("    ").append(n.task()).append(": ").append(n.reason()).append('\n');
                }
            }
            out.append('\n');
        }
        out.append(summary(plan)).append('\n');
        // names and values may come from live hosts (a database named with an escape sequence)
        return dev.pig.core.diag.ControlChars.escapeKeepingLines(out.toString());
    }

    /**
     * {@code Plan: 1 to add, 2 to change, 0 to destroy.}; commands to run count as changes. When a
     * host could not be planned the summary says so, and never claims there are no changes.
     */
    public static String summary(Plan plan) {
        int failed = plan.failedHosts().size();
        int planned = plan.hosts().size() - failed;
        String counts = plan.count(Action.CREATE) + " to add, "
                + (plan.count(Action.UPDATE) + plan.count(Action.RUN)) + " to change, "
                + plan.count(Action.DELETE) + " to destroy";
        if (failed == 0) {
            return plan.isEmpty() ? "No changes. The hosts match the inventory." : "Plan: " + counts + ".";
        }
        String unplanned = failed + " of " + plan.hosts().size() + " host(s) could not be planned";
        if (planned == 0) {
            return "Nothing planned: " + unplanned + ".";
        }
        if (plan.isEmpty()) {
            return "Incomplete plan: " + unplanned + "; the other " + planned + " match the inventory.";
        }
        return "Incomplete plan: " + counts + " on the " + planned + " host(s) planned; " + unplanned + ".";
    }
}
