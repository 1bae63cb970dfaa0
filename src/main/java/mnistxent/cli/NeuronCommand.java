package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.neuron.NeuronConfig;
import mnistxent.neuron.NeuronConfigLoader;
import mnistxent.neuron.NeuronExperiment;
import mnistxent.neuron.NeuronReport;
import mnistxent.neuron.NeuronResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code neuron}: the single-neuron experiment of docs/SPEC.md §7, the article's four Epoch-Cost
 * curves. Writes {@code neuron.csv} and {@code neuron.png} and prints a summary table to stdout
 * (this is not the training run, whose stdout is reserved for the seed script's lines).
 */
@Command(name = "neuron",
        mixinStandardHelpOptions = true,
        description = {
                "The article's single-neuron figures (docs/SPEC.md section 7): one sigmoid",
                "neuron, x=1, y=0, the quadratic cost and the cross-entropy, each from",
                "w,b = 0.6,0.9 and 2.0,2.0. Writes neuron.csv and neuron.png; prints per",
                "curve the initial output a, the initial dC/dw and when the cost halves."})
public final class NeuronCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(NeuronCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/neuron.yaml",
            description = "the experiment's config (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "output directory, created if missing (default: the config's output.dir, runs/neuron)")
    Path out;

    @Override
    public Integer call() {
        NeuronConfig cfg = NeuronConfigLoader.load(config);
        Path dir = out != null ? out : cfg.outputDir();
        prepare(dir);
        LOG.info("{}: {} epochs, {} costs x {} starts, x={}, y={}", cfg.name(), cfg.epochs(), cfg.costs().size(),
                cfg.starts().size(), cfg.input(), cfg.target());
        NeuronResults results = NeuronExperiment.run(cfg.withOutputDir(dir));
        Path csv = dir.resolve(NeuronReport.CSV_FILE);
        Path png = dir.resolve(NeuronReport.PNG_FILE);
        try {
            NeuronReport.writeCsv(results, csv);
        } catch (IOException e) {
            throw new UserError("cannot write " + csv + ": " + describe(e));
        }
        try {
            NeuronReport.writePng(results, png);
        } catch (IOException e) {
            throw new UserError("cannot write " + png + ": " + describe(e));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(NeuronReport.table(results));
        stdout.flush();
        LOG.info("wrote {} and {}", csv, png);
        return 0;
    }

    /** Creates the output directory, or explains in one line why it cannot be used. */
    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the output directory " + dir + ": " + describe(e)
                    + " (choose another with --out)");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("the output directory " + dir + " is not writable (choose another with --out)");
        }
    }

    /** An IOException in one line: NIO's messages are often just the path, already in ours. */
    private static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
