package mnistxent.cli;

import mnistxent.Plural;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user reads first: the help, a mistyped command line, a failure (README, "Command-line reference"). */
class HelpAndUsageTest {

    @Test
    void theTopLevelHelpShowsEachCommandsWholeSummary() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.code());
        CommandLine main = Main.commandLine();
        for (var e : main.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().usageMessage().hidden()) {
                assertTrue(r.out().lines().noneMatch(l -> l.startsWith("  " + e.getKey() + " ")), e.getKey() + " is hidden");
                continue;
            }
            String[] header = e.getValue().getCommandSpec().usageMessage().header();
            String summary = header.length > 0 ? header[0] : e.getValue().getCommandSpec().usageMessage().description()[0];
            assertTrue(summary.endsWith("."), e.getKey() + "'s summary is a whole sentence: " + summary);
            String listed = r.out().lines().filter(l -> l.startsWith("  " + e.getKey() + " ")).findFirst().orElseThrow();
            String next = r.out().lines().dropWhile(l -> !l.equals(listed)).skip(1).findFirst().orElse("");
            String shown = (listed.substring(2 + e.getKey().length()).strip() + " "
                    + (next.startsWith("      ") ? next.strip() : "")).strip();
            assertEquals(summary, shown, "the summary of " + e.getKey() + " in:\n" + r.out());
        }
    }

    @Test
    void aBadCommandLineIsOneLineAndWhereTheHelpIs() {
        Cli r = Cli.run("train", "--epochz", "3");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: Unknown options: '--epochz', '3'; did you mean --epochs?"), r.err());
        assertTrue(r.err().strip().endsWith("(see: mvn exec:java -Dexec.args=\"train --help\")"), r.err());

        Cli none = Cli.run();
        assertEquals(Main.EXIT_USAGE, none.code());
        assertEquals("error: a command is required (see: mvn exec:java -Dexec.args=--help)\n", none.err());
    }

    @Test
    void everyOptionAndParameterSaysWhatItIs() {
        List<String> undescribed = new ArrayList<>();
        collect(Main.commandLine(), undescribed);
        assertEquals(List.of(), undescribed);
    }

    private static void collect(CommandLine cl, List<String> undescribed) {
        String name = cl.getCommandSpec().qualifiedName();
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            if (!o.hidden() && String.join("", o.description()).isBlank()) {
                undescribed.add(name + " " + o.longestName());
            }
        }
        for (CommandLine.Model.PositionalParamSpec p : cl.getCommandSpec().positionalParameters()) {
            if (!p.hidden() && String.join("", p.description()).isBlank()) {
                undescribed.add(name + " " + p.paramLabel());
            }
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, undescribed));
    }

    @Test
    void anErrorQuotingMegabytesPrintsAShortLineThatStillEndsWithTheFix(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        String huge = "9".repeat(2_000_000);
        Cli seed = Cli.run("train", "--seed", huge);
        assertEquals(Main.EXIT_USAGE, seed.code());
        assertTrue(seed.err().length() < 2_500, "printed " + seed.err().length() + " characters");
        assertTrue(seed.err().strip().endsWith("(see: mvn exec:java -Dexec.args=\"train --help\")"));

        Path config = tmp.resolve("x.yaml");
        Files.writeString(config, Files.readString(Path.of("config/tf14-cross-entropy.yaml"))
                .replace("loss: sigmoid-cross-entropy-with-logits", "loss: " + "x".repeat(900_000)));
        Cli loss = Cli.run("train", "--config", config.toString());
        assertEquals(1, loss.code());
        assertEquals(1, loss.err().lines().count());
        assertTrue(loss.err().length() < 2_500, "printed " + loss.err().length() + " characters");
        assertTrue(loss.err().strip().endsWith("allowed: sigmoid-cross-entropy-with-logits | quadratic"), loss.err());
    }

    @Test
    void anInternalErrorOrRunningOutOfMemoryIsOneLineWithExitCode3() throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.handle(new OutOfMemoryError("Java heap space"), new PrintWriter(err));
        assertEquals(Main.EXIT_INTERNAL_ERROR, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("error: out of memory (Java heap space, the JVM's limit is "), err.toString());
        assertTrue(err.toString().contains("give Java more with -Xmx8g in .mvn/jvm.config"), err.toString());

        StringWriter bug = new StringWriter();
        assertEquals(Main.EXIT_INTERNAL_ERROR, Main.handle(new IllegalStateException("a bug\nover two lines"),
                new PrintWriter(bug)));
        assertEquals(1, bug.toString().lines().count(), bug.toString());
        assertTrue(bug.toString().startsWith("internal error (a bug; please report it): "
                + "java.lang.IllegalStateException: a bug over two lines; details in "), bug.toString());
        Path details = Path.of(bug.toString().strip().substring(bug.toString().indexOf("details in ") + 11));
        assertTrue(Files.readString(details).contains("at mnistxent.cli.HelpAndUsageTest"), "the stack trace");
        Files.delete(details);
    }

    @Test
    void countsAgreeWithTheirNouns() {
        assertEquals("1 epoch", Plural.of(1, "epoch"));
        assertEquals("30 epochs", Plural.of(30, "epoch"));
        assertEquals("0 steps", Plural.of(0, "step"));
    }
}
