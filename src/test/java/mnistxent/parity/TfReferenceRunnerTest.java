package mnistxent.parity;

import mnistxent.config.LossKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness itself: it must fail loudly, never skip or read stale or malformed results. */
class TfReferenceRunnerTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingTfBuildFailsAndSaysWhatToRun() {
        String saved = System.getProperty(TfReferenceRunner.DIR_PROPERTY);
        System.setProperty(TfReferenceRunner.DIR_PROPERTY, tmp.resolve("nothing-here").toString());
        try {
            AssertionError e = assertThrows(AssertionError.class, TfReferenceRunner::classpath);
            assertTrue(e.getMessage().contains("mvn -B verify"), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(TfReferenceRunner.DIR_PROPERTY);
            } else {
                System.setProperty(TfReferenceRunner.DIR_PROPERTY, saved);
            }
        }
    }

    @Test
    void aMalformedScenarioIsRejectedByTheReference() throws Exception {
        ParityScenario s = new ParityScenario("malformed", LossKind.QUADRATIC, 3.0, 0, 10, 2, new int[]{1}, 20, 1);
        Path dir = tmp.resolve("malformed");
        TfReferenceRunner.writeScenario(s, s.data(), dir);
        Files.write(dir.resolve("W_3.f32"), new byte[4 * 299]);          // one float short of [30,10]
        AssertionError e = assertThrows(AssertionError.class, () -> TfReferenceRunner.runWritten(s, dir));
        assertTrue(e.getMessage().contains("exit 2") && e.getMessage().contains("W_3.f32"), e.getMessage());
    }

    @Test
    void theScenarioFilesFollowTheProtocol() throws Exception {
        ParityScenario s = new ParityScenario("layout", LossKind.QUADRATIC, 3.0, 0, 10, 7, new int[]{1, 7}, 20, 2);
        ParityScenario.Data data = s.data();
        TfReferenceRunner.writeScenario(s, data, tmp);
        assertEquals(20L * 784 * 4, Files.size(tmp.resolve("x.f32")));
        assertEquals(20L * 10 * 4, Files.size(tmp.resolve("y.f32")));
        assertEquals(7L * 10 * 4, Files.size(tmp.resolve("batches.i32")));
        assertEquals(784L * 30 * 4, Files.size(tmp.resolve("W_2.f32")));
        assertEquals(30L * 4, Files.size(tmp.resolve("b_2.f32")));
        assertEquals(30L * 10 * 4, Files.size(tmp.resolve("W_3.f32")));
        assertEquals(10L * 4, Files.size(tmp.resolve("b_3.f32")));
        // little-endian, row-major: W_2[1][2] is float number 1*30+2
        float[] w2 = TfReferenceRunner.readFloats(tmp.resolve("W_2.f32"));
        assertEquals(data.initial().get(0).weights()[32], w2[32]);
        byte[] raw = Files.readAllBytes(tmp.resolve("b_3.f32"));
        int bits = (raw[0] & 0xff) | (raw[1] & 0xff) << 8 | (raw[2] & 0xff) << 16 | (raw[3] & 0xff) << 24;
        assertEquals(data.initial().get(1).biases()[0], Float.intBitsToFloat(bits));
        // 7 steps of 10 from 20 examples: every pass over the data visits each example once
        int[] visits = new int[20];
        for (int k = 0; k < 20; k++) {
            visits[data.batches()[k]]++;
        }
        for (int v : visits) {
            assertEquals(1, v, "the first two batches cover one shuffled pass");
        }
        String props = Files.readString(tmp.resolve("scenario.properties"));
        assertTrue(props.contains("loss=quadratic") && props.contains("snapshots=1,7"), props);
    }
}
