package mnistxent.train;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

import java.io.FileDescriptor;
import java.io.FileOutputStream;

/**
 * The console log ({@link ConsoleLogConfigurator}'s CONSOLE): the process's standard error itself, not whatever
 * {@code System.err} is at the moment. ND4J's start-up replaces {@code System.err} for a few seconds to hold
 * back its own noise (engine/Backend), and MNIST is fetched on another thread meanwhile: through
 * {@code System.err}, a first run's fetch lines (what is fetched, from where, progress) would vanish there.
 */
public final class StderrAppender extends OutputStreamAppender<ILoggingEvent> {

    @Override
    public void start() {
        setOutputStream(new FileOutputStream(FileDescriptor.err));
        super.start();
    }
}
