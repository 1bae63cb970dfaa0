package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code mnist-xent <command> [options]}. A thin layer: each subcommand parses
 * its options, calls into the packages below and maps their outcome to an exit code.
 *
 * <p>Exit codes (README, "Command-line reference"): 0 success; 1 bad input ({@link UserError}: one line
 * naming the problem and the fix); 2 bad command line (one line and where the help is); 3 an internal error
 * (a bug, or the JVM out of memory: one line, the details in a file it names); 130 stopped by Ctrl-C, 143 by
 * SIGTERM (a checkpoint was written). Every problem is one line on stderr; stdout keeps only results.
 */
@Command(name = "mnist-xent",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The TensorFlow 1.1 MNIST cross-entropy tutorial, reproduced exactly with Deeplearning4j.",
        commandListHeading = "%nCommands:%n")
public final class Main implements Runnable {

    /**
     * The commands, in the order the help lists them. A command line that names one builds only that one:
     * picocli's model of each command (its options, read from its annotations) is start-up time, ~50-90 ms
     * for all of them in a cold JVM (README, Performance, "Start-up"). Any other command line (none, a
     * misspelt command, {@code help}, {@code --help}) builds them all, for the list and the suggestions.
     */
    private static final List<Class<?>> COMMANDS = List.of(
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
            ArchiveClassesCommand.class);

    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL_ERROR = 3;
    public static final int EXIT_INTERRUPTED = 130;
    public static final int EXIT_TERMINATED = 143;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        // Under `mvn exec:java` ND4J's non-daemon threads would keep Maven's JVM alive, and an exception
        // leaving main would have Maven print its [ERROR] block on stdout: exit explicitly.
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code (tests call this; it never exits the JVM). */
    public static int run(String... args) {
        CommandLine cl = commandLine(args);
        try {
            return cl.execute(args);
        } catch (Throwable t) {       // what picocli lets through: Errors (OutOfMemoryError, ...)
            return handle(t, cl.getErr());
        }
    }

    /** The command line for {@code args}: with the one command they name, or with all ({@link #COMMANDS}). */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> named = args.length == 0 ? null : command(args[0]);
        for (Class<?> command : COMMANDS) {
            if (named == null || named == CommandLine.HelpCommand.class || command == named) {
                cl.addSubcommand(command);
            }
        }
        // after the commands: these settings reach the commands there are when they are set
        cl.setDefaultValueProvider(new ProjectFiles());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine.getErr()));
        cl.setParameterExceptionHandler(Main::usageError);
        return cl;
    }

    /** The command called {@code name}, or null. */
    private static Class<?> command(String name) {
        for (Class<?> command : COMMANDS) {
            if (command.getAnnotation(Command.class).name().equals(name)) {
                return command;
            }
        }
        return null;
    }

    /** A bad command line: one line, and the command that shows the help (not the whole help). */
    static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        String line = ErrorLines.flat(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line += "; did you mean " + String.join(" or ", u.getSuggestions().subList(0,
                    Math.min(3, u.getSuggestions().size()))) + "?";
        }
        List<String> help = new ArrayList<>();
        for (CommandLine p = c; p.getParent() != null; p = p.getParent()) {
            help.add(0, p.getCommandName());
        }
        help.add("--help");
        PrintWriter err = c.getErr();
        err.println("error: " + ErrorLines.capped(line) + " (see: " + CommandHints.app(help) + ")");
        err.flush();
        return EXIT_USAGE;
    }

    static int handle(Throwable ex, PrintWriter err) {
        var line = ErrorLines.of(ex);
        if (line.isPresent()) {
            err.println("error: " + ErrorLines.capped(line.get()));
            err.flush();
            return UserError.EXIT_CODE;
        }
        Path details = writeDetails(ex);
        String where = details == null ? "" : "; details in " + details;
        Throwable oom = cause(ex, OutOfMemoryError.class);
        if (oom != null) {
            err.println("error: out of memory (" + ErrorLines.flat(oom.getMessage()) + ", the JVM's limit is "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): give Java more with "
                    + (CommandHints.launcher() ? "JAVA_OPTS=-Xmx8g" : "-Xmx8g in .mvn/jvm.config") + where);
        } else {
            err.println("internal error (a bug; please report it): " + ErrorLines.capped(ErrorLines.flat(ex.toString()))
                    + where);
        }
        err.flush();
        return EXIT_INTERNAL_ERROR;
    }

    /** The first {@code type} in {@code ex}'s cause chain, or null. */
    private static Throwable cause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** The stack trace, for a bug report, in a file of its own (stderr gets one line); null if it cannot be written. */
    private static Path writeDetails(Throwable ex) {
        try {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            Path file = Path.of(System.getProperty("java.io.tmpdir"),
                    "mnist-xent-error-" + ProcessHandle.current().pid() + ".txt");
            AtomicFiles.writeString(file, trace.toString());
            return file;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return null;
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
