package mnistxent.cli;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which commands a command line builds: the one it names, or all of them when it names none. */
class MainTest {

    private static final Set<String> ALL = Set.of("help", "train", "neuron", "data", "bench", "ablate", "evaluate",
            "predict", "export", "replay", "archive-classes");

    @Test
    void aCommandLineThatNamesACommandBuildsOnlyThatOne() {
        assertEquals(Set.of("train"), Main.commandLine("train", "--seed", "1").getSubcommands().keySet());
        assertEquals(Set.of("data"), Main.commandLine("data", "info").getSubcommands().keySet());
        assertTrue(Main.commandLine("data", "info").getSubcommands().get("data").getSubcommands()
                .containsKey("info"), "a command's own subcommands come with it");
    }

    @Test
    void anyOtherCommandLineBuildsThemAll() {
        assertEquals(ALL, Main.commandLine().getSubcommands().keySet());
        assertEquals(ALL, Main.commandLine("help", "train").getSubcommands().keySet(), "help names the others");
        assertEquals(ALL, Main.commandLine("--help").getSubcommands().keySet());
        assertEquals(ALL, Main.commandLine("trian").getSubcommands().keySet(), "for the suggestions");
    }
}
