package dev.pig.core.exec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The journal excerpt added to a failed {@code systemctl start|restart|reload UNIT}: systemd only
 * answers "Job for etcd.service failed ... see journalctl -xeu etcd.service", so the executor
 * fetches the unit's last lines from the same host and appends them to the failure.
 */
final class UnitJournal {
    /** Lines of the journal kept. */
    static final int LINES = 20;

    /** The last systemctl start/restart/reload of a command (it may follow other commands). */
    private static final Pattern START = Pattern.compile(
            "(?:^|[;&|]\\s*)systemctl\\s+(?:start|restart|reload|reload-or-restart|try-restart)\\s+([A-Za-z0-9@_.:\\\\-]+)\\s*$");

    private UnitJournal() {
    }

    /** The unit a step starts, restarts or reloads, if it is such a step. */
    static Optional<String> of(String command) {
        Matcher m = START.matcher(command.strip());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String command(String unit) {
        return "journalctl -u " + dev.pig.core.ssh.Shell.quote(unit) + " -n " + LINES + " --no-pager";
    }

    /** The excerpt as appended to the failure detail: a header line, then the journal indented. */
    static String section(String unit, String journal) {
        StringBuilder b = new StringBuilder("\n    journalctl -u ").append(unit).append(" (last ").append(LINES).append(" lines):");
        String body = journal.strip();
        if (body.isEmpty()) {
            return b.append(" (empty)").toString();
        }
        String[] lines = body.split("\n");
        for (int i = Math.max(0, lines.length - LINES); i < lines.length; i++) {
            b.append("\n      ").append(lines[i]);
        }
        return b.toString();
    }
}
