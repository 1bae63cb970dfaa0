package mnistxent.cli;

import mnistxent.config.ExperimentConfig;
import mnistxent.inference.ClassReport;
import mnistxent.inference.TestCount;
import mnistxent.engine.Backend;
import mnistxent.engine.EngineKind;
import mnistxent.run.ModelFile;
import mnistxent.train.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code evaluate}: a model zip's test count, the seed script's {@code C / 10000} (SPEC §6). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {
                "Counts the test images a saved model classifies correctly and prints",
                "C / 10000: the count training recorded for it, computed again by the",
                "engine that trained it. --detail adds DL4J's Evaluation: per-class",
                "precision, recall, F1 and the confusion matrix."})
public final class EvaluateCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(EvaluateCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--engine", paramLabel = "NAME",
            description = "Count with auto, kernel or dl4j (default: the engine recorded in the zip, which "
                    + "reproduces the recorded count exactly).")
    String engine;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where MNIST is (default: the zip's config).")
    Path dataDir;

    @Option(names = "--detail", description = "Add DL4J's per-class precision, recall, F1 and confusion matrix.")
    boolean detail;

    @Override
    public Integer call() {
        Backend backend = Backend.detect();
        ModelFile.Loaded loaded = model.load();
        ExperimentConfig config = model.config(loaded, dataDir);
        EngineKind kind = engine != null ? TrainingRun.parseEngine(engine, backend)
                : loaded.recordedEngine().orElseGet(() -> EngineKind.auto(backend));
        TrainingRun.Data data = TrainingRun.loadData(config);
        TestCount count = TestCount.of(loaded.network(), config, kind, data);

        PrintWriter out = spec.commandLine().getOut();
        out.println(count.scriptText());
        out.flush();
        OptionalInt recorded = loaded.recordedTestCorrect();
        String where = loaded.path() + " (" + loaded.meta().getProperty("epochs.completed", "?") + " epochs, "
                + loaded.meta().getProperty("steps", "?") + " steps)";
        if (recorded.isEmpty()) {
            log.info("{}: counted with the {} engine; no count recorded for these parameters (a mid-epoch "
                    + "checkpoint, or not saved by train)", where, kind.cliName());
        } else if (recorded.getAsInt() == count.correct()) {
            log.info("{}: counted with the {} engine; equals the count recorded in training", where, kind.cliName());
        } else {
            log.warn("{}: counted with the {} engine; training recorded {} / {} (engine {}): the engines' argmax "
                            + "differ on near-ties", where, kind.cliName(), recorded.getAsInt(), count.total(),
                    loaded.meta().getProperty("engine", "?"));
        }
        if (detail) {
            out.println();
            out.print(ClassReport.of(loaded.network(), data.dir()).format());
            out.flush();
        }
        return 0;
    }
}
