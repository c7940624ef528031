package dev.pig.cli;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

/**
 * The log levels of a run. pig speaks through its own output, one line per host; libraries stay
 * silent. {@code --debug} shows pig's own debug lines, and sshj's warnings but never its debug
 * lines: those print every remote command as sent, passwords included.
 */
final class Logging {
    /** The SSH library's loggers. */
    static final String SSH = "net.schmizz";

    private Logging() {
    }

    static void configure(boolean debug) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another binding (none in the jar): it has its own configuration
        }
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(debug ? Level.DEBUG : Level.WARN);
        ctx.getLogger(SSH).setLevel(debug ? Level.WARN : Level.OFF);
    }
}
