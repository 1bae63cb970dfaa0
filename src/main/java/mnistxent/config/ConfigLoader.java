package mnistxent.config;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads our YAML schema into a validated {@link ExperimentConfig}. Every problem is reported as
 * a {@link ConfigException} naming {@code file:line:column}, the key path and what is allowed.
 *
 * <p>The YAML is read as a node tree (not bound to classes) so that each value keeps its
 * position in the file. The schema, with defaults for the optional keys, is documented in
 * README.md and in {@code config/tf14-cross-entropy.yaml}.
 */
public final class ConfigLoader {

    /** TF's mirror first, then the second public mirror (SPEC §1). */
    public static final List<URI> DEFAULT_MIRRORS = List.of(
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"));
    public static final int DEFAULT_VALIDATION_SIZE = 5_000;
    public static final Path DEFAULT_OUTPUT_DIR = Path.of("runs");
    /** The data section of a config that has none: the default directory, TF's split, the mirrors above. */
    public static final DataSpec DEFAULT_DATA = new DataSpec(null, DEFAULT_VALIDATION_SIZE, DEFAULT_MIRRORS);
    /** The seed script's config: what {@code train}, {@code replay}, {@code bench} and {@code data} use by default. */
    public static final String DEFAULT_CONFIG = "config/tf14-cross-entropy.yaml";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /**
     * A name's longest: run directories are {@code <name>-yyyyMMdd-HHmmss[-n]}, and file systems allow 255
     * bytes per name; well under that, so that the directories stay easy to type and list.
     */
    public static final int MAX_NAME_LENGTH = 100;

    private final YamlTree yaml;

    private ConfigLoader(YamlTree yaml) {
        this.yaml = yaml;
    }

    /** Loads and validates a config file. */
    public static ExperimentConfig load(Path path) {
        return new ConfigLoader(YamlTree.load(path)).read();
    }

    /** Parses config text; {@code file} is only used in error messages. */
    public static ExperimentConfig parse(String file, String text) {
        return new ConfigLoader(YamlTree.parse(file, text)).read();
    }

    private ExperimentConfig read() {
        Node root = yaml.root();
        Map<String, Node> top = yaml.mapping(root, "", Set.of(
                "name", "seed", "network", "init", "loss", "updater", "training", "data", "output"));

        String name = yaml.requiredString(top, root, "", "name");
        Node nameNode = top.get("name");
        if (name.length() > MAX_NAME_LENGTH) {
            throw yaml.error(nameNode, "name", "must be at most " + MAX_NAME_LENGTH + " characters (it names run "
                    + "directories, with a time stamp added), got " + name.length());
        }
        if (!NAME.matcher(name).matches()) {
            throw yaml.error(nameNode, "name", "must be letters, digits, '.', '_' or '-', starting with a letter or "
                    + "digit (it names run directories), got '" + name + "'");
        }
        Node seedNode = top.get("seed");
        Long seed = seedNode != null && !YamlTree.isNull(seedNode) ? yaml.longValue(seedNode, "seed") : null;
        NetworkSpec network = network(yaml.requiredNode(top, root, "", "network"));
        InitSpec init = init(yaml.requiredNode(top, root, "", "init"));
        LossKind loss = loss(yaml.requiredNode(top, root, "", "loss"));
        UpdaterSpec updater = updater(yaml.requiredNode(top, root, "", "updater"));
        TrainingSpec training = training(yaml.requiredNode(top, root, "", "training"));
        DataSpec data = data(top.get("data"), training);
        OutputSpec output = output(top.get("output"));
        return new ExperimentConfig(name, seed, network, init, loss, updater, training, data, output);
    }

    // ---------------------------------------------------------------- sections

    private NetworkSpec network(Node node) {
        Map<String, Node> m = yaml.mapping(node, "network", Set.of("inputs", "layers"));
        int inputs = yaml.requiredInt(m, node, "network", "inputs");
        if (inputs != MnistShape.PIXELS) {
            throw yaml.error(m.get("inputs"), "network.inputs",
                    "must be " + MnistShape.PIXELS + " (MNIST images are 28x28 pixels), got " + inputs);
        }
        Node layersNode = yaml.requiredNode(m, node, "network", "layers");
        if (!(layersNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw yaml.error(layersNode, "network.layers", "must be a non-empty list of layers ({units, activation})");
        }
        List<LayerSpec> layers = new ArrayList<>();
        int previousUnits = inputs;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node layerNode = seq.getValue().get(i);
            String path = "network.layers[" + i + "]";
            Map<String, Node> lm = yaml.mapping(layerNode, path, Set.of("units", "activation", "inputs"));
            int units = yaml.requiredInt(lm, layerNode, path, "units");
            rule(ConfigRules.units(units), lm.get("units"), path + ".units");
            if (lm.containsKey("inputs")) {
                int declared = yaml.intValue(lm.get("inputs"), path + ".inputs");
                if (declared != previousUnits) {
                    throw yaml.error(lm.get("inputs"), path + ".inputs", "layer sizes do not chain: this layer takes "
                            + declared + " inputs but the " + (i == 0 ? "network has " : "layer before it has ")
                            + previousUnits + (i == 0 ? " inputs" : " units"));
                }
            }
            String act = yaml.requiredString(lm, layerNode, path, "activation");
            Activation activation = Activation.fromYaml(act).orElseThrow(() -> yaml.error(lm.get("activation"),
                    path + ".activation", "unknown activation '" + act + "'; allowed: " + Activation.allowed()));
            layers.add(new LayerSpec(units, activation));
            previousUnits = units;
        }
        LayerSpec last = layers.get(layers.size() - 1);
        Node lastNode = seq.getValue().get(layers.size() - 1);
        if (last.units() != MnistShape.CLASSES) {
            throw yaml.error(lastNode, "network.layers[" + (layers.size() - 1) + "].units",
                    "layer sizes do not chain: the output layer must have " + MnistShape.CLASSES
                            + " units (MNIST has 10 classes), got " + last.units());
        }
        if (last.activation() != Activation.SIGMOID) {
            throw yaml.error(lastNode, "network.layers[" + (layers.size() - 1) + "].activation",
                    "the output layer must be sigmoid (both costs of SPEC §4 are defined on a sigmoid output), got "
                            + last.activation().yamlName());
        }
        return new NetworkSpec(inputs, layers);
    }

    private InitSpec init(Node node) {
        Map<String, Node> m = yaml.mapping(node, "init", Set.of("weights", "biases"));
        return new InitSpec(distribution(yaml.requiredNode(m, node, "init", "weights"), "init.weights"),
                distribution(yaml.requiredNode(m, node, "init", "biases"), "init.biases"));
    }

    private DistributionSpec distribution(Node node, String path) {
        Map<String, Node> m = yaml.mapping(node, path, Set.of("distribution", "mean", "std", "divide-by-sqrt-fan-in"));
        if (m.containsKey("distribution")) {
            String kind = yaml.stringValue(m.get("distribution"), path + ".distribution");
            if (!kind.equals("normal")) {
                throw yaml.error(m.get("distribution"), path + ".distribution",
                        "unknown distribution '" + kind + "'; allowed: normal");
            }
        }
        double mean = yaml.requiredDouble(m, node, path, "mean");
        if (!Double.isFinite(mean)) {
            throw yaml.error(m.get("mean"), path + ".mean", "must be a finite number, got " + mean);
        }
        double std = yaml.requiredDouble(m, node, path, "std");
        if (!Double.isFinite(std) || std < 0) {
            throw yaml.error(m.get("std"), path + ".std", "must be a finite number >= 0, got " + std);
        }
        boolean divide = m.containsKey("divide-by-sqrt-fan-in")
                && yaml.boolValue(m.get("divide-by-sqrt-fan-in"), path + ".divide-by-sqrt-fan-in");
        return new DistributionSpec(mean, std, divide);
    }

    private LossKind loss(Node node) {
        String name = yaml.stringValue(node, "loss");
        return LossKind.fromYaml(name).orElseThrow(() -> yaml.error(node, "loss",
                "unknown loss '" + name + "'; allowed: " + LossKind.allowed()));
    }

    private UpdaterSpec updater(Node node) {
        Map<String, Node> m = yaml.mapping(node, "updater", Set.of("type", "learning-rate", "l2"));
        String type = yaml.requiredString(m, node, "updater", "type");
        if (!type.equals("sgd")) {
            throw yaml.error(m.get("type"), "updater.type",
                    "unknown updater '" + type + "'; allowed: sgd (the seed's GradientDescentOptimizer)");
        }
        double lr = yaml.requiredDouble(m, node, "updater", "learning-rate");
        if (!Double.isFinite(lr) || lr <= 0) {
            throw yaml.error(m.get("learning-rate"), "updater.learning-rate", "must be a finite number > 0, got " + lr);
        }
        double l2 = 0.0;
        if (m.containsKey("l2")) {
            l2 = yaml.doubleValue(m.get("l2"), "updater.l2");
            if (!Double.isFinite(l2) || l2 < 0) {
                throw yaml.error(m.get("l2"), "updater.l2", "must be a finite number >= 0 (0 = off), got " + l2);
            }
        }
        return new UpdaterSpec(lr, l2);
    }

    private TrainingSpec training(Node node) {
        Map<String, Node> m = yaml.mapping(node, "training", Set.of("batch-size", "epochs", "steps-per-epoch"));
        int batch = yaml.requiredInt(m, node, "training", "batch-size");
        rule(ConfigRules.batchSize(batch), m.get("batch-size"), "training.batch-size");
        int epochs = yaml.requiredInt(m, node, "training", "epochs");
        rule(ConfigRules.epochs(epochs), m.get("epochs"), "training.epochs");
        int steps = yaml.requiredInt(m, node, "training", "steps-per-epoch");
        rule(ConfigRules.stepsPerEpoch(steps), m.get("steps-per-epoch"), "training.steps-per-epoch");
        return new TrainingSpec(batch, epochs, steps);
    }

    private DataSpec data(Node node, TrainingSpec training) {
        if (node == null || YamlTree.isNull(node)) {
            return DEFAULT_DATA;
        }
        Map<String, Node> m = yaml.mapping(node, "data", Set.of("dir", "validation-size", "mirrors"));
        Path dir = m.containsKey("dir") && !YamlTree.isNull(m.get("dir"))
                ? Path.of(yaml.stringValue(m.get("dir"), "data.dir")) : null;
        int validation = DEFAULT_VALIDATION_SIZE;
        if (m.containsKey("validation-size")) {
            validation = yaml.intValue(m.get("validation-size"), "data.validation-size");
            rule(ConfigRules.validationSize(validation, training.batchSize()), m.get("validation-size"),
                    "data.validation-size");
        }
        List<URI> mirrors = DEFAULT_MIRRORS;
        if (m.containsKey("mirrors")) {
            Node mn = m.get("mirrors");
            if (!(mn instanceof SequenceNode seq)) {
                throw yaml.error(mn, "data.mirrors", "must be a list of https:// base URLs");
            }
            mirrors = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node u = seq.getValue().get(i);
                String path = "data.mirrors[" + i + "]";
                String text = yaml.stringValue(u, path);
                try {
                    URI uri = new URI(text.endsWith("/") ? text : text + "/");
                    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        throw yaml.error(u, path, "must be an https:// URL, got '" + text + "'");
                    }
                    mirrors.add(uri);
                } catch (URISyntaxException e) {
                    throw yaml.error(u, path, "not a URL: '" + text + "'");
                }
            }
        }
        return new DataSpec(dir, validation, mirrors);
    }

    /** A broken rule becomes the file's error at {@code node}. */
    private void rule(Optional<String> problem, Node node, String keyPath) {
        if (problem.isPresent()) {
            throw yaml.error(node, keyPath, problem.get());
        }
    }

    private OutputSpec output(Node node) {
        if (node == null || YamlTree.isNull(node)) {
            return new OutputSpec(DEFAULT_OUTPUT_DIR);
        }
        Map<String, Node> m = yaml.mapping(node, "output", Set.of("dir"));
        return new OutputSpec(m.containsKey("dir") ? Path.of(yaml.stringValue(m.get("dir"), "output.dir"))
                : DEFAULT_OUTPUT_DIR);
    }
}
