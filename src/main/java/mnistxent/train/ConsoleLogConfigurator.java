package mnistxent.train;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The process's log set-up, in code rather than a {@code logback.xml}: reading the XML cost every command
 * ~0.2 s at start-up, on the critical path of a whole job (README, Performance, "Start-up"). Found by
 * logback through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}, before its own
 * configurators; a {@code -Dlogback.configurationFile=...} still takes precedence.
 *
 * <p>Standard output is reserved for the seed script's own lines ("Epoch N: C / 10000", "best: ...") so
 * that the two programs' outputs can be diffed; everything else is logged:
 * <ul>
 *   <li>the console (stderr: {@link StderrAppender} says why it is the process's own) gets concise INFO
 *       lines, except those of threads {@link ConsoleMute} keeps off it (runs trained side by side);</li>
 *   <li>each run directory gets a DEBUG {@code train.log}, attached by {@link RunLog} at run start.</li>
 * </ul>
 * DL4J, ND4J, DataVec and JavaCPP are held at WARN: the one start-up line about the backend is ours.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

    /** The console's line: time, level, message. */
    static final String CONSOLE_PATTERN = "%d{HH:mm:ss} %-5level %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.NEUTRAL;
        }
        // logback's own status messages stay off the console, as they did with the XML's NopStatusListener
        context.getStatusManager().add(new NopStatusListener());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(CONSOLE_PATTERN);
        encoder.start();
        ThresholdFilter infoAndAbove = new ThresholdFilter();
        infoAndAbove.setLevel(Level.INFO.levelStr);
        infoAndAbove.start();
        ConsoleMute mute = new ConsoleMute();
        mute.start();
        StderrAppender console = new StderrAppender();
        console.setContext(context);
        console.setName("CONSOLE");
        console.addFilter(infoAndAbove);
        console.addFilter(mute);
        console.setEncoder(encoder);
        console.start();

        context.getLogger("mnistxent").setLevel(Level.DEBUG);
        for (String library : new String[] {"org.nd4j", "org.deeplearning4j", "org.datavec", "org.bytedeco"}) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
