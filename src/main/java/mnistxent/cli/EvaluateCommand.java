package mnistxent.cli;

import mnistxent.Plural;
import mnistxent.config.ExperimentConfig;
import mnistxent.data.MnistData;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.inference.ClassReport;
import mnistxent.inference.TestCount;
import mnistxent.model.TfParameters;
import mnistxent.run.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code evaluate}: a model zip's test count, the seed script's {@code C / 10000} (SPEC §6). */
@Command(name = "evaluate",
        header = "Count the test images a saved model classifies correctly.", mixinStandardHelpOptions = true,
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

    @Option(names = "--engine", paramLabel = "NAME", converter = EngineName.class, completionCandidates = EngineName.class,
            description = "Count with auto, kernel or dl4j (default: the engine recorded in the zip, which "
                    + "reproduces the recorded count exactly).")
    String engine;

    @Mixin
    RunOverrides.DataDir data;

    @Option(names = "--detail", description = "Add DL4J's per-class precision, recall, F1 and confusion matrix.")
    boolean detail;

    @Override
    public Integer call() {
        EngineKind kind = Engines.prepare(engine, ModelFile.recordedEngine(model.model)).engine();
        ModelFile.Loaded loaded = model.load();
        ExperimentConfig config = data.applyTo(model.config(loaded, null));
        MnistData mnist = MnistFetcher.load(config.data());
        TestCount count = TestCount.of(TfParameters.read(loaded.network()), config, kind, mnist);

        PrintWriter out = spec.commandLine().getOut();
        out.println(count.scriptText());
        out.flush();
        OptionalInt recorded = loaded.recordedTestCorrect();
        String where = loaded.path() + " (" + counted(loaded.meta().getProperty("epochs.completed"), "epoch") + ", "
                + counted(loaded.meta().getProperty("steps"), "step") + ")";
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
            out.print(ClassReport.of(loaded.network(), mnist.dir().orElseThrow()).format());
            out.flush();
        }
        return 0;
    }

    /** A count from the zip's metadata with its noun ("1 epoch"), or "? epochs" when it is not there. */
    private static String counted(String value, String noun) {
        try {
            return Plural.of(Long.parseLong(value == null ? "" : value.trim()), noun);
        } catch (NumberFormatException e) {
            return "? " + noun + "s";
        }
    }
}
