package mnistxent.cli;

import mnistxent.config.ConfigLoader;
import mnistxent.config.DataSpec;
import mnistxent.config.ExperimentConfig;
import mnistxent.run.ModelFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of the commands that read a model zip: the zip, and the config to use with it. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "ZIP", required = true,
            description = "A model zip written by train (model-final.zip, model-best.zip, checkpoint.zip).")
    Path model;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Use this config instead of the one stored in the zip (required for a plain DL4J "
                    + "model zip); the model's shapes must match it.")
    Path config;

    /** Loads the zip (every bad file is a one-line UserError). */
    ModelFile.Loaded load() {
        return ModelFile.load(model);
    }

    /** The config to use: --config (checked against the model) or the zip's own; {@code dataDir} overrides data.dir. */
    ExperimentConfig config(ModelFile.Loaded loaded, Path dataDir) {
        ExperimentConfig c = loaded.configOr(config == null ? null : ConfigLoader.load(config), config);
        if (dataDir != null) {
            c = c.withData(new DataSpec(dataDir, c.data().validationSize(), c.data().mirrors()));
        }
        return c;
    }
}
