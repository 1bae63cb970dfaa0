package mnistxent.run;

import mnistxent.OneLine;
import mnistxent.ProjectVersion;
import mnistxent.UserError;
import mnistxent.config.ConfigException;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ConfigWriter;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LayerSpec;
import mnistxent.engine.EngineKind;
import mnistxent.io.AtomicFiles;
import mnistxent.model.Dl4jCoefficients;
import mnistxent.model.LayerParameters;
import mnistxent.model.NonFiniteParameters;
import mnistxent.model.TfParameters;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A model zip: DL4J's {@link ModelSerializer} format (configuration, parameters, updater state),
 * which any DL4J program can restore, plus three entries of ours that make it self-describing
 * and resumable:
 * <ul>
 *   <li>{@value #CONFIG_ENTRY}: the effective experiment config (seed included);</li>
 *   <li>{@value #META_ENTRY}: project and DL4J versions, epoch, steps, test count, engine;</li>
 *   <li>{@value #STATE_ENTRY}: the {@link TrainingState} (batcher permutation, position, random
 *       state, history) so that {@code train --resume} continues exactly.</li>
 * </ul>
 * Saving is atomic ({@link AtomicFiles}), so a crash never leaves a half-written zip under the real name.
 */
public final class ModelFile {

    public static final String CONFIG_ENTRY = "mnistxent/config.yaml";
    public static final String META_ENTRY = "mnistxent/model.properties";
    public static final String STATE_ENTRY = "mnistxent/training-state.bin";

    /** A plain DL4J zip holds no config: the model cannot be used without one being given. */
    public static final class NeedsConfig extends UserError {
        NeedsConfig(Path zip) {
            super(zip + " has no " + CONFIG_ENTRY + " (a plain DL4J model, not saved by mnist-xent's train command)");
        }
    }

    /** A given config does not describe the network in the zip. */
    public static final class ConfigMismatch extends UserError {
        ConfigMismatch(String problem) {
            super(problem);
        }
    }

    /**
     * A loaded model zip. {@code config} and {@code state} are null for a plain DL4J zip; {@code state} is also
     * null when its entry is damaged, and {@code stateProblem} then says how (evaluating, predicting and
     * exporting need only the network, so only resuming fails).
     */
    public record Loaded(Path path, MultiLayerNetwork network, ExperimentConfig config, TrainingState state,
                         Properties meta, String stateProblem) {

        /** The config, or a one-line error saying this zip was not written by mnist-xent. */
        public ExperimentConfig requireConfig() {
            if (config == null) {
                throw new UserError(path + " has no " + CONFIG_ENTRY + ": it is a plain DL4J model, not one saved by "
                        + "mnist-xent's train command; only the zips written by train (checkpoint.zip, model-*.zip) "
                        + "can be resumed");
            }
            return config;
        }

        public TrainingState requireState() {
            if (stateProblem != null) {
                throw new UserError(stateProblem + ": this zip cannot be resumed (its network can still be "
                        + "evaluated, used and exported); resume from another checkpoint or model zip of the run");
            }
            if (state == null) {
                throw new UserError(path + " has no training state (" + STATE_ENTRY
                        + "): it cannot be resumed; use a checkpoint.zip or model-*.zip written by train");
            }
            return state;
        }

        /**
         * The config to use with this model: {@code override} when given (it must describe the network in the
         * zip), else the zip's own. A plain DL4J zip has none: then {@code override} is required.
         *
         * @throws NeedsConfig    when neither exists
         * @throws ConfigMismatch when {@code override} describes another network
         */
        public ExperimentConfig configOr(ExperimentConfig override, Path overrideFile) {
            if (override == null) {
                if (config == null) {
                    throw new NeedsConfig(path);
                }
                return config;
            }
            try {
                checkShapes(path + " with the config " + overrideFile, network, override, "");
            } catch (UserError e) {
                throw new ConfigMismatch(e.getMessage());
            }
            return override;
        }

        /** The engine that trained this model ({@code engine} in {@value #META_ENTRY}), if recorded. */
        public Optional<EngineKind> recordedEngine() {
            return EngineKind.byName(meta.getProperty("engine", ""));
        }

        /**
         * The test count training recorded for exactly these parameters ({@code test.correct}); empty for a
         * checkpoint written mid-epoch (its parameters were never evaluated) or a zip without our metadata.
         */
        public OptionalInt recordedTestCorrect() {
            try {
                int n = Integer.parseInt(meta.getProperty("test.correct", "-1").trim());
                return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
    }

    private ModelFile() {
    }

    /**
     * Saves atomically the zip of a network of {@code config} holding {@code parameters}, without ND4J: DL4J's
     * entries as its {@link ModelSerializer} writes them for such a network ({@code configurationJson} is
     * {@code NetworkFactory.configuration(config).toJson()}, the coefficients {@link Dl4jCoefficients}: the same
     * bytes, {@code RunModelTest}), then ours. {@code testCorrect} is this model's own test count (recorded for
     * {@code evaluate} to compare against).
     *
     * @throws IllegalArgumentException when {@code parameters} are not shaped as {@code config}'s network
     */
    public static void save(Path target, String configurationJson, List<LayerParameters> parameters,
                            ExperimentConfig config, TrainingState state, int testCorrect, EngineKind engine) {
        TfParameters.requireShapes(config.network(), parameters);
        try {
            ByteArrayOutputStream stateBytes = new ByteArrayOutputStream();
            try (DataOutputStream data = new DataOutputStream(stateBytes)) {
                TrainingStateCodec.write(state, data);
            }
            byte[] coefficients = Dl4jCoefficients.of(parameters);
            // Atomic and on disk before the rename: after a crash of the machine (not only of the process)
            // the name holds either the previous zip or this whole one.
            AtomicFiles.write(target, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                put(zip, ModelSerializer.CONFIGURATION_JSON, configurationJson.getBytes(StandardCharsets.UTF_8));
                put(zip, ModelSerializer.COEFFICIENTS_BIN, coefficients);
                put(zip, CONFIG_ENTRY, ConfigWriter.toYaml(config, "The experiment this model was trained with.")
                        .getBytes(StandardCharsets.UTF_8));
                put(zip, META_ENTRY, meta(config, state, testCorrect, engine));
                put(zip, STATE_ENTRY, stateBytes.toByteArray());
                zip.finish();
                zip.flush();
            });
        } catch (IOException e) {
            throw new UserError("cannot write the model file " + target + ": " + OneLine.reason(e));
        }
    }

    /**
     * The engine recorded in a model zip's metadata, read without restoring the model (so before ND4J
     * starts); empty when the file is not one of ours or cannot be read (loading it reports why).
     */
    public static Optional<EngineKind> recordedEngine(Path path) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry entry = zip.getEntry(META_ENTRY);
            if (entry == null) {
                return Optional.empty();
            }
            Properties meta = new Properties();
            meta.load(zip.getInputStream(entry));
            return EngineKind.byName(meta.getProperty("engine", ""));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Loads a model zip; every kind of bad file becomes one {@link UserError} line. */
    public static Loaded load(Path path) {
        if (!Files.exists(path)) {
            throw new UserError("no model file at " + path
                    + "; train writes them as runs/<run>/model-best.zip, model-final.zip and checkpoint.zip");
        }
        if (Files.isDirectory(path)) {
            throw new UserError(path + " is a directory; give the model zip inside it (e.g. " + path.resolve(
                    RunDirectory.MODEL_FINAL) + ")");
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            if (zip.getEntry(ModelSerializer.CONFIGURATION_JSON) == null
                    || zip.getEntry(ModelSerializer.COEFFICIENTS_BIN) == null) {
                throw new UserError(path + " is a zip but not a DL4J model (no " + ModelSerializer.CONFIGURATION_JSON
                        + " / " + ModelSerializer.COEFFICIENTS_BIN + "); give a model zip written by train");
            }
            MultiLayerNetwork network;
            try (InputStream in = Files.newInputStream(path)) {
                network = ModelSerializer.restoreMultiLayerNetwork(in, true);
            } catch (RuntimeException | IOException e) {
                throw new UserError("cannot restore the DL4J model in " + path + " (" + OneLine.rootCause(e)
                        + "); the file is damaged or was written by another DL4J version: retrain or use another zip");
            }
            ExperimentConfig config = null;
            ZipEntry configEntry = zip.getEntry(CONFIG_ENTRY);
            if (configEntry != null) {
                String yaml = new String(zip.getInputStream(configEntry).readAllBytes(), StandardCharsets.UTF_8);
                try {
                    config = ConfigLoader.parse(path + "!/" + CONFIG_ENTRY, yaml);
                } catch (ConfigException e) {
                    throw new UserError("the config stored in the model zip is invalid: " + e.getMessage());
                }
                checkShapes(path + " with its stored config", network, config,
                        "the zip is inconsistent (damaged or edited): retrain or use another zip");
            }
            Properties meta = new Properties();
            ZipEntry metaEntry = zip.getEntry(META_ENTRY);
            if (metaEntry != null) {
                meta.load(zip.getInputStream(metaEntry));
            }
            TrainingState state = null;
            String stateProblem = null;
            ZipEntry stateEntry = zip.getEntry(STATE_ENTRY);
            if (stateEntry != null) {
                try (DataInputStream in = new DataInputStream(zip.getInputStream(stateEntry))) {
                    state = TrainingStateCodec.read(in);
                } catch (IOException | RuntimeException e) {
                    // Damaged bytes can make the decoder fail in any way (a negative length, an impossible
                    // value): whatever it is, it is this entry's damage, reported when a resume needs it.
                    stateProblem = "the training state in " + path + " (" + STATE_ENTRY + ") is damaged ("
                            + OneLine.reason(e) + ")";
                }
            }
            requireFinite(network, path);
            return new Loaded(path, network, config, state, meta, stateProblem);
        } catch (ZipException e) {
            throw new UserError(path + " is not a readable zip file (" + OneLine.reason(e)
                    + "): truncated or not a model; give a model zip written by train");
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw new UserError("cannot read the model file " + path + " (" + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw new UserError("cannot read the model file " + path + ": " + OneLine.rootCause(e));
        }
    }

    /**
     * A network with NaN or an infinity among its parameters is refused on loading (README, "evaluate"): in
     * the seed script's terms ({@code W_2[i, j]}) when it is a stack of dense layers, as ours are.
     */
    private static void requireFinite(MultiLayerNetwork network, Path path) {
        boolean dense = true;
        for (int i = 0; i < network.getnLayers(); i++) {
            dense &= network.getParam(i + "_" + DefaultParamInitializer.WEIGHT_KEY) != null
                    && network.getParam(i + "_" + DefaultParamInitializer.BIAS_KEY) != null;
        }
        if (dense) {
            NonFiniteParameters.requireFinite(TfParameters.read(network), path.toString());
        } else if (network.params() != null) {
            for (float v : network.params().dup().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat()) {
                if (!Float.isFinite(v)) {
                    throw new UserError(path + ": the network's parameters hold values that are not finite numbers; "
                            + "parameters must be finite numbers to be used");
                }
            }
        }
    }

    /** The network in the zip must be the network its config describes (its own, or one given). */
    static void checkShapes(String what, MultiLayerNetwork network, ExperimentConfig config, String fix) {
        int layers = config.network().layers().size();
        if (network.getnLayers() != layers) {
            throw new UserError(what + ": the model has " + network.getnLayers() + " layers but the config says "
                    + layers + (fix.isEmpty() ? "" : "; " + fix));
        }
        for (int i = 0; i < layers; i++) {
            LayerSpec spec = config.network().layers().get(i);
            INDArray w = network.getParam(i + "_" + DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = network.getParam(i + "_" + DefaultParamInitializer.BIAS_KEY);
            long nIn = config.network().fanIn(i);
            if (w == null || w.size(0) != nIn || w.size(1) != spec.units() || b == null || b.length() != spec.units()) {
                throw new UserError(what + ": " + LayerParameters.weightName(i) + " of the model has shape "
                        + (w == null ? "none" : "[" + w.size(0) + "," + w.size(1) + "]") + " but the config says ["
                        + nIn + "," + spec.units() + "]" + (fix.isEmpty() ? "" : "; " + fix));
            }
        }
    }

    private static byte[] meta(ExperimentConfig config, TrainingState state, int testCorrect, EngineKind engine)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("project.version", ProjectVersion.get());
        p.setProperty("dl4j.version", ProjectVersion.dl4j());
        p.setProperty("saved", Instant.now().toString());
        p.setProperty("config.name", config.name());
        p.setProperty("seed", String.valueOf(config.seed()));
        p.setProperty("epochs.completed", String.valueOf(state.epochsCompleted()));
        p.setProperty("steps", String.valueOf(state.stepsDone()));
        p.setProperty("test.correct", String.valueOf(testCorrect));
        p.setProperty("best", String.valueOf(state.best()));
        p.setProperty("engine", engine.cliName());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, "mnist-xent model metadata");
        return out.toByteArray();
    }

    /**
     * Adds an entry stored without compression. The contents are float parameters and a random
     * permutation, which deflate barely shrinks but which cost ~30 ms a zip to compress: a checkpoint is
     * written every epoch (a fraction of a second with the kernel engine), so speed wins over ~100 KB.
     */
    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
