package dev.pig.core.exec;

/** Progress after one step of an apply: how many hosts changed, had nothing to do, or failed. */
public record StepReport(int index, int total, String task, int changed, int unchanged, int failed) {

    /** {@code [3/12] file /etc/hosts: running on 3 host(s)...}, printed before the step's hosts start. */
    public static String startLine(int index, int total, String task, int hosts) {
        return "[" + index + "/" + total + "] " + task + ": running on " + hosts + " host(s)...";
    }

    /** {@code [3/12] file /etc/hosts: 2 changed, 1 ok, 0 failed} */
    public String line() {
        return "[" + index + "/" + total + "] " + task + ": " + changed + " changed, " + unchanged + " ok, " + failed + " failed";
    }
}
