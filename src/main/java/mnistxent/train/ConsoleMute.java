package mnistxent.train;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;

/**
 * Keeps a thread's routine log lines off the console ({@link ConsoleLogConfigurator} puts this filter on
 * the console appender). Runs trained side by side in one JVM (the ablation) would otherwise interleave
 * their per-epoch and progress lines on stderr; their own {@code train.log} still gets everything,
 * and warnings and errors still reach the console.
 */
public final class ConsoleMute extends Filter<ILoggingEvent> {

    static final String KEY = "mnistxent.console";
    private static final String MUTED = "muted";

    /** Mutes the calling thread's INFO and DEBUG lines on the console until the scope is closed. */
    public static Scope muteThisThread() {
        String previous = MDC.get(KEY);
        MDC.put(KEY, MUTED);
        return () -> {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        };
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        boolean muted = MUTED.equals(event.getMDCPropertyMap().get(KEY));
        return muted && !event.getLevel().isGreaterOrEqual(Level.WARN) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /** The muted stretch of a thread; closing it unmutes (no checked exception). */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
