package mnistxent.cli;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.MnistShape;
import mnistxent.config.TrainingSpec;
import mnistxent.data.LabelledImages;
import mnistxent.data.MnistData;
import mnistxent.data.SyntheticImages;
import mnistxent.engine.EngineKind;
import mnistxent.io.FileTrees;
import mnistxent.run.ModelFile;
import mnistxent.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code archive-classes} (hidden; a build step): a short training run in memory, on {@link SyntheticImages},
 * that loads the classes a real run loads, so that the JVM running it with
 * {@code -XX:ArchiveClassesAtExit} archives them for the launcher (README, Performance, "Start-up": class-data
 * sharing saves the launcher's JVM ~0.5 s of loading and verifying them). It needs no MNIST and leaves
 * no files behind. (Its log lines are the build's: the build keeps them in target/archive-classes.log.)
 */
@Command(name = "archive-classes", hidden = true,
        description = "Build step: train a few steps in memory so that the JVM can archive the classes loaded.")
final class ArchiveClassesCommand implements Callable<Integer> {


    @Option(names = "--config", paramLabel = "FILE", defaultValue = ConfigLoader.DEFAULT_CONFIG,
            description = "The config whose network, loss and batch size the run has (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() throws IOException {
        // The command line's classes as well: every command's model (this run's own command line builds only
        // this command's), and a train command line parsed, not run, as the launcher's would be.
        Main.commandLine();
        Main.commandLine("train").parseArgs("train", "--seed", "1", "--epochs", "2", "--no-progress");
        Path scratch = Files.createTempDirectory("mnist-xent-classes");
        try {
            ExperimentConfig base = ConfigLoader.load(config).withSeed(1);
            ExperimentConfig small = base.withTraining(new TrainingSpec(base.training().batchSize(), 2, 100));
            int width = small.network().inputs();
            LabelledImages train = SyntheticImages.of(MnistShape.TRAIN_IMAGES, width);     // the batcher's split
            LabelledImages test = SyntheticImages.of(1_000, width);
            MnistData data = MnistData.of(train.pixels(), train.labels(), test.pixels(), test.labels());
            TrainingRun.Options options = new TrainingRun.Options(EngineKind.KERNEL.cliName(), null, false)
                    .sharedIn(scratch.resolve("run"));
            TrainingRun.Result result = TrainingRun.fresh(small, options, data, new PrintWriter(Writer.nullWriter()));
            ModelFile.load(result.directory().modelFinal());       // what evaluate, predict and resume load
            return 0;
        } finally {
            FileTrees.delete(scratch);
        }
    }
}
