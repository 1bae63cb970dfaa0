package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ConfigOverrides;
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
        ExperimentConfig c;
        try {
            c = loaded.configOr(config == null ? null : ConfigLoader.load(config), config);
        } catch (ModelFile.NeedsConfig e) {
            throw new UserError(e.getMessage() + "; give the config it was trained with: --config FILE");
        } catch (ModelFile.ConfigMismatch e) {
            throw new UserError(e.getMessage() + "; give the config this model was trained with, or leave --config "
                    + "out to use the zip's own");
        }
        return new ConfigOverrides(null, null, null, null, dataDir).applyTo(c);
    }
}
