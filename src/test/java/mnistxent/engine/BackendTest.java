package mnistxent.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * While ND4J starts, the starting thread's stderr output is held back; another thread's (a run training
 * beside it and logging, its progress bar) still reaches stderr at once.
 */
class BackendTest {

    @Test
    void onlyTheStartingThreadsOutputIsHeld() throws Exception {
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OutputStream stream = Backend.heldOnThisThread(held, new PrintStream(console, true, StandardCharsets.UTF_8));
        stream.write("nd4j: no CUDA\n".getBytes(StandardCharsets.UTF_8));
        Thread other = new Thread(() -> {
            try {
                stream.write("epoch 0\n".getBytes(StandardCharsets.UTF_8));
                stream.write('!');
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        other.start();
        other.join();
        stream.write('?');
        assertEquals("nd4j: no CUDA\n?", held.toString(StandardCharsets.UTF_8));
        assertEquals("epoch 0\n!", console.toString(StandardCharsets.UTF_8));
    }
}
