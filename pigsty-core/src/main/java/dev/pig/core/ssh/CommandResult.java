package dev.pig.core.ssh;

import java.nio.charset.StandardCharsets;

/**
 * What a remote command returned.
 *
 * @param exitCode the exit status, or -1 when the command died of a signal
 */
public record CommandResult(int exitCode, byte[] stdout, byte[] stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** The last {@code lines} lines of stderr (or stdout when stderr is empty), for error messages. */
    public String tail(int lines) {
        String s = err().isBlank() ? out() : err();
        String[] all = s.strip().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    @Override
    public String toString() {
        return "CommandResult[exit=" + exitCode + ", stdout=" + stdout.length + "B, stderr=" + stderr.length + "B]";
    }
}
