package dev.pig.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, made in code when logging starts (a {@code logback.xml} costs an XML
 * parser at every start of the CLI): one appender on stderr; the root at {@code -Dpig.log}
 * (WARN unless set), the SSH library at {@code -Dpig.log.ssh} (OFF unless set), since its debug
 * lines show remote commands unmasked. {@link Logging#configure} sets the same levels when a
 * command runs. {@code -Dlogback.configurationFile=FILE} still takes a file of one's own instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(ctx);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("pig.log"), Level.WARN));
        root.addAppender(stderr);
        ctx.getLogger(Logging.SSH).setLevel(Level.toLevel(System.getProperty("pig.log.ssh"), Level.OFF));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
