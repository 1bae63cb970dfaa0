package mnistxent.cli;

import mnistxent.OneLine;
import mnistxent.UserError;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.data.MnistData;
import mnistxent.data.MnistFile;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;
import mnistxent.model.NpyParameters;
import mnistxent.replay.BatchIndices;
import mnistxent.replay.Replay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code replay}: TensorFlow's steps, on TensorFlow's parameters and minibatches. */
@Command(name = "replay",
        header = "Replay given batches from given parameters (TensorFlow's) and write the results.", mixinStandardHelpOptions = true,
        description = {
                "Runs one SGD step per row of the batches file, from the parameters in",
                "--init, with the config's loss and learning rate, and writes the updated",
                "W_2.npy, b_2.npy, W_3.npy, b_3.npy and loss.csv (step,loss: step k = row k,",
                "its batch's loss before the update) to --out, to compare with a TF run."})
public final class ReplayCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ReplayCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = ConfigLoader.DEFAULT_CONFIG,
            description = "The network, loss, learning rate and batch size (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--init", paramLabel = "DIR", required = true,
            description = "W_2.npy, b_2.npy, W_3.npy, b_3.npy to start from (float32, the seed script's shapes).")
    Path init;

    @Option(names = "--batches", paramLabel = "FILE", required = true,
            description = "int32 .npy [K, batch]: row k = the indices into the 60,000 MNIST training images "
                    + "(file order, before any split) of step k's minibatch.")
    Path batches;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory (created).")
    Path out;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "auto", converter = EngineName.class,
            completionCandidates = EngineName.class,
            description = "auto (kernel on CPU, dl4j on CUDA), kernel or dl4j (default: ${DEFAULT-VALUE}).")
    String engine;

    @Mixin
    RunOverrides.DataDir data;

    @Override
    public Integer call() {

        ExperimentConfig c = data.applyTo(ConfigLoader.load(config));
        EngineKind kind = Engines.prepare(engine, Optional.empty()).engine();
        if (init.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new UserError("--out " + out + " is the --init directory: the replayed parameters would replace "
                    + "the initial ones; give another --out directory");
        }
        // Every input is checked before MNIST is loaded: a bad file fails in a second.
        List<LayerParameters> initial = NpyParameters.read(init, c.network());
        BatchIndices steps = BatchIndices.read(batches, c.training().batchSize(), MnistFile.TRAIN_IMAGES.count());
        MnistData mnist = MnistFetcher.load(c.data());
        long start = System.nanoTime();
        Replay.Result result;
        try (TrainingEngine replaying = Engines.create(kind, c, ImageSets.trainingOnly(mnist.train()), initial)) {
            result = Replay.run(replaying, steps);
        }
        log.info("{} steps in {} s", steps.steps(), String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
        List<Path> files;
        try {
            files = Replay.write(out, result);
        } catch (IOException e) {
            throw new UserError("cannot write into " + out + " (" + OneLine.reason(e) + "); give a writable --out directory");
        }
        float[] losses = result.losses();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(String.format(Locale.ROOT, "replayed %d steps of %d with the %s engine (%s, learning rate %s): "
                        + "loss %s at step 0, %s at step %d", steps.steps(), steps.batch(), kind.cliName(),
                c.loss().yamlName(), c.updater().learningRate(), losses[0], losses[losses.length - 1],
                losses.length - 1));
        stdout.println("wrote " + files.stream().map(Path::toString).collect(Collectors.joining(" ")));
        stdout.flush();
        return 0;
    }
}
