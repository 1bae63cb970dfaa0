package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.neuron.NeuronConfig;
import mnistxent.neuron.NeuronConfigLoader;
import mnistxent.neuron.NeuronExperiment;
import mnistxent.neuron.NeuronReport;
import mnistxent.neuron.NeuronResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code neuron}: the single-neuron experiment of docs/SPEC.md §7, the article's four Epoch-Cost
 * curves. Writes {@code neuron.csv} and {@code neuron.png} and prints a summary table to stdout
 * (this is not the training run, whose stdout is reserved for the seed script's lines).
 */
@Command(name = "neuron",
        header = "Reproduce the article's single-neuron figures (cost against epoch).",
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
        OutputDirs.prepare(dir);
        LOG.info("{}: {} epochs, {} costs x {} starts, x={}, y={}", cfg.name(), cfg.epochs(), cfg.costs().size(),
                cfg.starts().size(), cfg.input(), cfg.target());
        NeuronResults results = NeuronExperiment.run(cfg.withOutputDir(dir));
        Path csv = dir.resolve(NeuronReport.CSV_FILE);
        Path png = dir.resolve(NeuronReport.PNG_FILE);
        try {
            NeuronReport.writeCsv(results, csv);
        } catch (IOException e) {
            throw new UserError("cannot write " + csv + ": " + OutputDirs.describe(e));
        }
        try {
            NeuronReport.writePng(results, png);
        } catch (IOException e) {
            throw new UserError("cannot write " + png + ": " + OutputDirs.describe(e));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(NeuronReport.table(results));
        stdout.flush();
        LOG.info("wrote {} and {}", csv, png);
        return 0;
    }
}
