package mnistxent.train;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Attaches a DEBUG-level {@code train.log} in the run directory for the length of a run (the
 * console stays at INFO: see {@link ConsoleLogConfigurator}). Closing it detaches the file.
 *
 * <p>Several runs can train at once in one JVM, each on its own thread (the ablation):
 * {@link #attachForThisThread} then gives each run's file only the events of its own thread, which
 * it marks with an MDC entry, instead of every event of the process.
 */
public final class RunLog implements AutoCloseable {

    private static final String APPENDER = "RUN_FILE";

    /** MDC key that marks the events of a run's thread while its log is attached to that thread only. */
    static final String RUN_KEY = "mnistxent.run";

    private final FileAppender<ILoggingEvent> appender;
    private final String previousRunMark;
    private final boolean marked;

    private RunLog(FileAppender<ILoggingEvent> appender, boolean marked, String previousRunMark) {
        this.appender = appender;
        this.marked = marked;
        this.previousRunMark = previousRunMark;
    }

    /** The file takes every event of the process (one run per JVM, the {@code train} command). */
    public static RunLog attach(Path file) {
        return attach(file, null);
    }

    /**
     * The file takes only the events logged on the calling thread until {@link #close} (one of several
     * runs in this JVM). The run must log from this thread, as {@link Trainer} and its listeners do.
     */
    public static RunLog attachForThisThread(Path file) {
        return attach(file, UUID.randomUUID().toString());
    }

    private static RunLog attach(Path file, String runMark) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new RunLog(null, false, null);    // another SLF4J binding: no file log
        }
        String previous = null;
        if (runMark != null) {
            previous = MDC.get(RUN_KEY);
            MDC.put(RUN_KEY, runMark);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        if (runMark != null) {
            appender.addFilter(new Filter<>() {
                @Override
                public FilterReply decide(ILoggingEvent event) {
                    return runMark.equals(event.getMDCPropertyMap().get(RUN_KEY)) ? FilterReply.NEUTRAL
                            : FilterReply.DENY;
                }
            });
        }
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        // DEBUG for our own code reaches the file; the console appender filters at INFO.
        context.getLogger("mnistxent").setLevel(Level.DEBUG);
        return new RunLog(appender, runMark != null, previous);
    }

    @Override
    public void close() {
        if (marked) {
            if (previousRunMark == null) {
                MDC.remove(RUN_KEY);
            } else {
                MDC.put(RUN_KEY, previousRunMark);
            }
        }
        if (appender == null) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
