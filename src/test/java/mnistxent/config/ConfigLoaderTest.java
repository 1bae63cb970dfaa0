package mnistxent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    /** The seed script's config, with placeholders that single tests replace. */
    private static final String VALID = """
            name: t
            seed: 7
            network:
              inputs: 784
              layers:
                - units: 30
                  activation: sigmoid
                - units: 10
                  activation: sigmoid
            init:
              weights: {distribution: normal, mean: 0.0, std: 1.0}
              biases: {distribution: normal, mean: 0.0, std: 1.0}
            loss: sigmoid-cross-entropy-with-logits
            updater:
              type: sgd
              learning-rate: 3.0
            training:
              batch-size: 10
              epochs: 30
              steps-per-epoch: 5000
            """;

    private static ConfigException error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse("c.yaml", yaml));
    }

    @Test
    void theSeedScriptsConfigIsExactlyTheSeedScript() {
        ExperimentConfig c = ConfigLoader.load(Path.of("config/tf14-cross-entropy.yaml"));
        assertEquals("tf14-cross-entropy", c.name());
        assertNull(c.seed(), "unseeded like the TF script");
        assertEquals(784, c.network().inputs());
        assertEquals(List.of(new LayerSpec(30, Activation.SIGMOID), new LayerSpec(10, Activation.SIGMOID)),
                c.network().layers());
        assertEquals(DistributionSpec.STANDARD_NORMAL, c.init().weights());
        assertEquals(DistributionSpec.STANDARD_NORMAL, c.init().biases());
        assertEquals(LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, c.loss());
        assertEquals(new UpdaterSpec(3.0, 0.0), c.updater());
        assertEquals(new TrainingSpec(10, 30, 5000), c.training());
        assertEquals(5000, c.data().validationSize());
        assertEquals(ConfigLoader.DEFAULT_MIRRORS, c.data().mirrors());
        assertEquals(23_860, c.network().parameterCount());
    }

    @Test
    void theQuadraticConfigDiffersOnlyInNameAndLoss() {
        ExperimentConfig xent = ConfigLoader.load(Path.of("config/tf14-cross-entropy.yaml"));
        ExperimentConfig quad = ConfigLoader.load(Path.of("config/tf12-quadratic.yaml"));
        assertEquals(LossKind.QUADRATIC, quad.loss());
        assertEquals(xent.withName(quad.name()), new ExperimentConfig(quad.name(), quad.seed(), quad.network(),
                quad.init(), xent.loss(), quad.updater(), quad.training(), quad.data(), quad.output()));
    }

    @Test
    void everyShippedConfigStartsWithACommentSayingWhatItReproduces() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("config"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String first = java.nio.file.Files.readAllLines(f).get(0);
                assertTrue(first.startsWith("# ") && first.length() > 20, f + " must start with a comment: " + first);
            }
        }
    }

    @Test
    void theSchemaExampleInTheReadmeIsAValidConfig() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\n");
        assertTrue(start >= 0, "README.md has a ```yaml example");
        String yaml = readme.substring(start + 8, readme.indexOf("```", start + 8));
        ExperimentConfig c = ConfigLoader.parse("README.md", yaml);
        assertEquals("tf14-cross-entropy", c.name());
        assertEquals(42L, c.seed());
        assertEquals(Path.of("/path/to/mnist"), c.data().dir());
        assertEquals(ConfigLoader.DEFAULT_MIRRORS, c.data().mirrors());
    }

    @Test
    void writerOutputReadsBackToTheSameConfig() {
        ExperimentConfig c = ConfigLoader.parse("c.yaml", VALID.replace("std: 1.0}\n  biases",
                "std: 1.0, divide-by-sqrt-fan-in: true}\n  biases").replace("learning-rate: 3.0",
                "learning-rate: 0.1\n  l2: 0.0001"));
        assertTrue(c.init().weights().divideBySqrtFanIn());
        ExperimentConfig back = ConfigLoader.parse("back.yaml", ConfigWriter.toYaml(c, "round trip"));
        assertEquals(c, back);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level key        | 'name: t'                          | 'name: t\\nsurprise: 1'              | c.yaml:2:1: surprise: unknown key; allowed here: data, init, loss, name, network, output, seed, training, updater
            unknown nested key           | '  epochs: 30'                     | '  epochs: 30\\n  epoch: 3'          | c.yaml:20:3: training.epoch: unknown key
            wrong type                   | 'batch-size: 10'                   | 'batch-size: ten'                    | c.yaml:18:15: training.batch-size: expected an integer, got string 'ten'
            batch 0                      | 'batch-size: 10'                   | 'batch-size: 0'                      | c.yaml:18:15: training.batch-size: must be between 1 and 10000, got 0
            negative learning rate       | 'learning-rate: 3.0'               | 'learning-rate: -3.0'                | c.yaml:16:18: updater.learning-rate: must be a finite number > 0, got -3.0
            NaN learning rate            | 'learning-rate: 3.0'               | 'learning-rate: .nan'                | updater.learning-rate: must be a finite number > 0, got NaN
            zero units                   | '- units: 30'                      | '- units: 0'                         | c.yaml:6:14: network.layers[0].units: must be between 1 and 100000, got 0
            layers that do not chain     | '- units: 10'                      | '- units: 10\\n      inputs: 31'     | c.yaml:9:15: network.layers[1].inputs: layer sizes do not chain: this layer takes 31 inputs but the layer before it has 30 units
            output is not 10 classes     | '- units: 10'                      | '- units: 9'                         | network.layers[1].units: layer sizes do not chain: the output layer must have 10 units
            input is not 784 pixels      | 'inputs: 784'                      | 'inputs: 100'                        | c.yaml:4:11: network.inputs: must be 784
            unknown loss                 | 'loss: sigmoid-cross-entropy-with-logits' | 'loss: hinge'                 | c.yaml:13:7: loss: unknown loss 'hinge'; allowed: sigmoid-cross-entropy-with-logits
            unknown activation           | '      activation: sigmoid\\n    - units: 10' | '      activation: swish\\n    - units: 10' | network.layers[0].activation: unknown activation 'swish'; allowed: sigmoid
            unknown updater              | 'type: sgd'                        | 'type: adam'                         | updater.type: unknown updater 'adam'; allowed: sgd
            negative std                 | 'weights: {distribution: normal, mean: 0.0, std: 1.0}' | 'weights: {distribution: normal, mean: 0.0, std: -1.0}' | init.weights.std: must be a finite number >= 0, got -1.0
            missing key                  | '  steps-per-epoch: 5000'          | ''                                   | training.steps-per-epoch: required key is missing
            duplicate key                | 'name: t'                          | 'name: t\\nname: u'                  | c.yaml:2:1: name: duplicate key
            not YAML                     | 'name: t'                          | 'name: [t'                           | not valid YAML
            """)
    void badConfigsNameFileLineColumnKeyAndWhatIsAllowed(String what, String from, String to, String expected) {
        String yaml = VALID.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertFalse(yaml.equals(VALID), "test setup: '" + from + "' not found");
        ConfigException e = error(yaml);
        assertTrue(e.getMessage().contains(expected), what + ": got '" + e.getMessage() + "'");
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void anOutputLayerThatIsNotSigmoidIsRejectedWithTheReason() {
        ConfigException e = error(VALID.replace("    - units: 10\n      activation: sigmoid",
                "    - units: 10\n      activation: relu"));
        assertTrue(e.getMessage().contains("network.layers[1].activation: the output layer must be sigmoid"),
                e.getMessage());
    }

    @Test
    void aMissingFileSaysWhereTheConfigsAre() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("config/nope.yaml")));
        assertEquals("config/nope.yaml: no such config file; the shipped configs are in config/ (ls config/)",
                e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() {
        assertEquals("c.yaml: the config file is empty", error("").getMessage());
        assertEquals("c.yaml: the config file is empty", error("# only a comment\n").getMessage());
    }

    @Test
    void mirrorsMustBeHttps() {
        ConfigException e = error(VALID + "data:\n  mirrors: ['http://example.org/mnist']\n");
        assertTrue(e.getMessage().contains("data.mirrors[0]: must be an https:// URL"), e.getMessage());
    }

    @Test
    void optionalSectionsGetTheSeedScriptsDefaults() {
        ExperimentConfig c = ConfigLoader.parse("c.yaml", VALID);
        assertEquals(7L, c.seed());
        assertNull(c.data().dir());
        assertEquals(5000, c.data().validationSize());
        assertEquals(Path.of("runs"), c.output().dir());
        assertEquals(0.0, c.updater().l2());
        assertFalse(c.init().weights().divideBySqrtFanIn());
    }

    @Test
    void aFileThatCannotBeAConfigIsRefusedBeforeParsingSayingWhatItIs(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path big = tmp.resolve("big.yaml");
        // Valid YAML that would take long to parse, and echo megabytes if it failed: refused by its size.
        java.nio.file.Files.writeString(big, VALID + "# " + "x".repeat(2 << 20) + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(big));
        assertEquals(big + ": is " + java.nio.file.Files.size(big) + " bytes; a config is a small YAML file (at most "
                + "1048576 bytes are read)", e.getMessage());

        Path zip = tmp.resolve("model.zip");
        try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("configuration.json"));
            out.write("{}".getBytes());
        }
        assertEquals(zip + ": is a zip archive (a model or checkpoint zip?), not a YAML config",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(zip)).getMessage());

        Path binary = tmp.resolve("W_2.bin");
        java.nio.file.Files.write(binary, new byte[]{'a', 0, 1, 2});
        assertEquals(binary + ": is binary data (it holds NUL bytes), not a YAML config",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(binary)).getMessage());
        assertEquals(tmp + ": is a directory; give a config file (a .yaml file such as the ones in config/)",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(tmp)).getMessage());
    }

    @Test
    void aNameMustBeUsableAsADirectoryName() {
        String longName = "n".repeat(101);
        assertEquals("c.yaml:1:7: name: must be at most 100 characters (it names run directories, with a time "
                + "stamp added), got 101", error(VALID.replace("name: t", "name: " + longName)).getMessage());
        ConfigLoader.parse("c.yaml", VALID.replace("name: t", "name: " + "n".repeat(100)));
        assertTrue(error(VALID.replace("name: t", "name: ../up")).getMessage().contains(
                "name: must be letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
}
