package mnistxent.train;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console log reaches the process's stderr even while a library has replaced {@code System.err}: ND4J's
 * start-up does so for seconds, while a first run's MNIST fetch logs what it fetches from where (README,
 * "The two commands").
 */
class ConsoleLogTest {

    /** Logs one line while System.err is replaced (run in a JVM of its own by the test). */
    public static void main(String[] args) {
        PrintStream real = System.err;
        ByteArrayOutputStream swallowed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(swallowed, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("mnistxent.data.fetch.MnistFetcher").info("fetching while System.err is away");
        } finally {
            System.setErr(real);
        }
        System.out.println("swallowed " + swallowed.size() + " bytes");
    }

    @Test
    void aLineLoggedWhileSystemErrIsReplacedStillReachesStderr() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ConsoleLogTest.class.getName())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("INFO  fetching while System.err is away"), "stderr: " + err);
        assertEquals("swallowed 0 bytes", out.strip());
    }
}
