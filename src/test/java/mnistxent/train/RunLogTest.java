package mnistxent.train;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run logs of runs trained side by side keep to their own thread; the console mute. */
class RunLogTest {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RunLogTest.class);

    @Test
    void threadScopedLogsTakeOnlyTheirOwnThreadsLines(@TempDir Path dir) throws Exception {
        CyclicBarrier bothAttached = new CyclicBarrier(2);
        CyclicBarrier bothLogged = new CyclicBarrier(2);
        Thread a = new Thread(() -> logInto(dir.resolve("a.log"), "line from a", bothAttached, bothLogged));
        Thread b = new Thread(() -> logInto(dir.resolve("b.log"), "line from b", bothAttached, bothLogged));
        a.start();
        b.start();
        a.join();
        b.join();

        String logA = Files.readString(dir.resolve("a.log"));
        String logB = Files.readString(dir.resolve("b.log"));
        assertTrue(logA.contains("line from a"), logA);
        assertFalse(logA.contains("line from b"), logA);
        assertTrue(logB.contains("line from b"), logB);
        assertFalse(logB.contains("line from a"), logB);
    }

    @Test
    void closingAThreadScopedLogDetachesItAndClearsTheMark(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.log");
        try (RunLog ignored = RunLog.attachForThisThread(file)) {
            LOG.info("inside");
        }
        LOG.info("after close");
        assertNull(MDC.get(RunLog.RUN_KEY));
        String log = Files.readString(file);
        assertTrue(log.contains("inside"));
        assertFalse(log.contains("after close"));
    }

    @Test
    void consoleMuteDropsOnlyTheMutedThreadsInfoLines() {
        ConsoleMute filter = new ConsoleMute();
        assertEquals(FilterReply.NEUTRAL, filter.decide(event(Level.INFO)));
        try (ConsoleMute.Scope ignored = ConsoleMute.muteThisThread()) {
            assertEquals(FilterReply.DENY, filter.decide(event(Level.INFO)));
            assertEquals(FilterReply.DENY, filter.decide(event(Level.DEBUG)));
            assertEquals(FilterReply.NEUTRAL, filter.decide(event(Level.WARN)));
            assertEquals(FilterReply.NEUTRAL, filter.decide(event(Level.ERROR)));
        }
        assertEquals(FilterReply.NEUTRAL, filter.decide(event(Level.INFO)));
        assertNull(MDC.get(ConsoleMute.KEY));
    }

    @Test
    void theConsoleAppenderHasTheMute() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var console = root.getAppender("CONSOLE");
        assertTrue(console != null && console.getCopyOfAttachedFiltersList().stream()
                .anyMatch(f -> f instanceof ConsoleMute), "the console log must have ConsoleMute");
    }

    private static LoggingEvent event(Level level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // the event copies the calling thread's MDC, as a real logging call does
        return new LoggingEvent(RunLogTest.class.getName(), context.getLogger(RunLogTest.class), level, "m",
                null, null);
    }

    private static void logInto(Path file, String line, CyclicBarrier attached, CyclicBarrier logged) {
        try (RunLog ignored = RunLog.attachForThisThread(file)) {
            attached.await();        // both files are attached before either logs
            LOG.info(line);
            logged.await();          // and stay attached until both have logged
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
