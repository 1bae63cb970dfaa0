package mnistxent.cli;

import mnistxent.data.DataException;
import mnistxent.run.RunDirectory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command printed for the user to run is shell-quoted, in the form the user started the application
 * with, and carries the options that matter (README, "Command-line reference").
 */
class CommandHintsTest {

    private static final List<String> ODD = List.of("train", "--resume",
            "/tmp/my runs/it's \"here\" $HOME `x` \\ !/checkpoint.zip", "", "plain");

    /** The words bash makes of {@code words}. */
    private static List<String> bashWords(String words) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "printf '[%s]\\n' " + words).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        return out.lines().map(l -> l.substring(1, l.length() - 1)).toList();
    }

    @Test
    void underTheLauncherACommandIsTheLaunchersPathAndWordsTheShellKeepsWhole() throws Exception {
        System.setProperty(CommandHints.LAUNCHER_PROPERTY, "/opt/my tools/bin/mnist-xent");
        String hint;
        try {
            hint = CommandHints.app(ODD);
        } finally {
            System.clearProperty(CommandHints.LAUNCHER_PROPERTY);
        }
        assertTrue(hint.startsWith("\"/opt/my tools/bin/mnist-xent\" train --resume '/tmp/my runs/it'\\''s "), hint);
        List<String> words = bashWords(hint);
        assertEquals("/opt/my tools/bin/mnist-xent", words.get(0));
        assertEquals(ODD, words.subList(1, words.size()));
    }

    @Test
    void theResumeHintQuotesAPathWithASpace() {
        String hint = TrainCommand.resumeCommand(new RunDirectory(Path.of("/tmp/my runs/tf14-1")));
        assertEquals("mvn exec:java -Dexec.args=\"train --resume '/tmp/my runs/tf14-1/checkpoint.zip'\"", hint);
        assertEquals("mvn exec:java -Dexec.args=\"train --resume /tmp/runs/tf14-1/checkpoint.zip\"",
                TrainCommand.resumeCommand(new RunDirectory(Path.of("/tmp/runs/tf14-1"))));
    }

    @Test
    void aDataRepairNamesTheDataDirectoryThatHasTheProblem() {
        Path dir = Path.of("/tmp/my mnist");
        String line = ErrorLines.of(new DataException("/tmp/my mnist/t10k-images-idx3-ubyte is corrupt",
                DataException.Remedy.REFETCH, dir)).orElseThrow();
        assertEquals("/tmp/my mnist/t10k-images-idx3-ubyte is corrupt; re-fetch it with: "
                + "mvn exec:java -Dexec.args=\"data fetch --force --data-dir '/tmp/my mnist'\"", line);
        String missing = ErrorLines.of(new DataException("t10k-labels-idx1-ubyte is missing",
                DataException.Remedy.FETCH, Path.of("/srv/mnist"))).orElseThrow();
        assertTrue(missing.endsWith("fetch the MNIST files with: "
                + "mvn exec:java -Dexec.args=\"data fetch --data-dir /srv/mnist\""), missing);
    }

    @Test
    void aWordNeedsQuotesOnlyWhenTheShellWouldChangeIt() {
        assertEquals("runs/tf14-20261125/checkpoint.zip", CommandHints.shell("runs/tf14-20261125/checkpoint.zip"));
        assertEquals("\"a b\"", CommandHints.shell("a b"));
        assertEquals("''", CommandHints.shell(""));
        assertEquals("'$HOME'", CommandHints.shell("$HOME"));
    }
}
