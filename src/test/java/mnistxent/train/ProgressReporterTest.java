package mnistxent.train;

import mnistxent.config.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress lines count epochs as the seed's result lines do: "Epoch 0" is the first. */
class ProgressReporterTest {

    @Test
    void theProgressLineNamesTheEpochAsTheResultLinesDo() {
        ProgressReporter p = new ProgressReporter(new TrainingSpec(10, 30, 5000), false,
                new PrintStream(new ByteArrayOutputStream()));
        String first = p.status(0, 2500);
        assertTrue(first.startsWith("epoch 0 (1 of 30)  2500/5000 steps"), first);
        String last = p.status(29, 10);
        assertTrue(last.startsWith("epoch 29 (30 of 30)  10/5000 steps"), last);
    }
}
