package mnistxent.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (SIGINT) and SIGTERM (kill, docker stop, batch schedulers) stop a run the same way (README,
 * "train"): the trainer finishes the engine call in progress and the run writes a checkpoint. A second signal
 * of the same kind falls back to the JVM's default (immediate exit).
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] NAMES = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final AtomicReference<String> received = new AtomicReference<>();

    private StopSignals() {
    }

    /** Installs the handlers that ask {@code trainer} to stop. */
    static StopSignals install(Trainer trainer) {
        StopSignals s = new StopSignals();
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                SignalHandler[] before = new SignalHandler[1];
                before[0] = Signal.handle(signal, sig -> {
                    s.received.compareAndSet(null, name);
                    log.info("{}: stopping after this step and writing a checkpoint ({} again to quit now)",
                            name.equals("INT") ? "interrupt" : "SIGTERM", name.equals("INT") ? "Ctrl-C" : "SIGTERM");
                    trainer.requestStop();
                    restore(signal, before[0]);
                });
                s.previous.put(signal, before[0]);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a signal this JVM keeps to itself: the JVM's default stays
                log.debug("cannot handle SIG{} here: {}", name, e.toString());
            }
        }
        return s;
    }

    /** The name of the first signal received ({@code "INT"} or {@code "TERM"}), or null. */
    String received() {
        return received.get();
    }

    /** Puts the handlers that were there before back. */
    void restore() {
        previous.forEach(StopSignals::restore);
    }

    private static void restore(Signal signal, SignalHandler handler) {
        try {
            Signal.handle(signal, handler);
        } catch (IllegalArgumentException | UnsupportedOperationException ignored) {
            // nothing was installed
        }
    }
}
