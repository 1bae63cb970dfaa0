package mnistxent.train;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log set-up in code: the console's levels and filters, and who may override it. */
class ConsoleLogConfiguratorTest {

    @Test
    void theConsoleGetsInfoLinesOnStderrAndTheLibrariesOnlyWarnings() {
        LoggerContext context = new LoggerContext();
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY,
                new ConsoleLogConfigurator().configure(context));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        var console = root.getAppender("CONSOLE");
        assertInstanceOf(StderrAppender.class, console);
        assertTrue(console.isStarted());
        var filters = console.getCopyOfAttachedFiltersList();
        assertTrue(filters.stream().anyMatch(f -> f instanceof ThresholdFilter), "INFO and above only");
        assertTrue(filters.stream().anyMatch(f -> f instanceof ConsoleMute), "runs side by side keep theirs");
        assertEquals(Level.DEBUG, context.getLogger("mnistxent").getLevel(), "train.log gets DEBUG");
        for (String library : new String[] {"org.nd4j", "org.deeplearning4j", "org.datavec", "org.bytedeco"}) {
            assertEquals(Level.WARN, context.getLogger(library).getLevel(), library);
        }
        console.stop();
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineTakesPrecedence() {
        LoggerContext context = new LoggerContext();
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "my-logback.xml");
        try {
            assertEquals(Configurator.ExecutionStatus.NEUTRAL, new ConsoleLogConfigurator().configure(context));
            assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE"));
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    @Test
    void theProcessesLoggingIsSetUpByIt() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        assertInstanceOf(StderrAppender.class, root.getAppender("CONSOLE"), "found through META-INF/services");
    }
}
