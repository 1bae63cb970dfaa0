package mnistxent.cli;

import mnistxent.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The command line: {@code mnist-xent <command> [options]}. A thin layer: each subcommand parses
 * its options, calls into the packages below and maps their outcome to an exit code.
 *
 * <p>Exit codes: 0 success; 1 bad input ({@link UserError}: the message is the one line printed);
 * 2 bad command line (picocli's usage error); 3 an unexpected internal error (a bug: stack trace
 * in the log); 130 interrupted.
 */
@Command(name = "mnist-xent",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The TensorFlow 1.1 MNIST cross-entropy tutorial, reproduced exactly with Deeplearning4j.",
        subcommands = {
                CommandLine.HelpCommand.class,
                TrainCommand.class,
                NeuronCommand.class,
                DataCommand.class,
                BenchCommand.class,
                AblateCommand.class,
                EvaluateCommand.class,
                PredictCommand.class,
                ExportCommand.class,
                ReplayCommand.class,
        })
public final class Main implements Runnable {

    public static final int EXIT_INTERNAL_ERROR = 3;
    public static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        // Under `mvn exec:java` ND4J's non-daemon threads would keep Maven's JVM alive: exit explicitly.
        System.out.flush();
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code (tests call this; it never exits the JVM). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine.getErr()));
        return cl;
    }

    static int handle(Throwable ex, PrintWriter err) {
        var line = ErrorLines.of(ex);
        if (line.isPresent()) {
            err.println("error: " + line.get());
            err.flush();
            return UserError.EXIT_CODE;
        }
        err.println("internal error (please report it): " + ex);
        ex.printStackTrace(err);
        err.flush();
        return EXIT_INTERNAL_ERROR;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }
}
