package mnistxent.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** MNIST's fixed shapes: the network must start and end here. */
    public static final int MNIST_PIXELS = 784;
    public static final int MNIST_CLASSES = 10;
    public static final int MNIST_TRAIN_IMAGES = 60_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String file;

    private ConfigLoader(String file) {
        this.file = file;
    }

    /** Loads and validates a config file. */
    public static ExperimentConfig load(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path.toString(), 0, 0, "",
                    "no such config file; the shipped configs are in config/ (e.g. config/tf14-cross-entropy.yaml)");
        } catch (IOException e) {
            throw new ConfigException(path.toString(), 0, 0, "", "cannot read the config file: " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /** Parses config text; {@code file} is only used in error messages. */
    public static ExperimentConfig parse(String file, String text) {
        return new ConfigLoader(file).read(new StringReader(text));
    }

    private ExperimentConfig read(Reader reader) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = "not valid YAML: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage());
            throw m == null ? new ConfigException(file, 0, 0, "", problem)
                    : new ConfigException(file, m.getLine() + 1, m.getColumn() + 1, "", problem);
        } catch (YAMLException e) {
            throw new ConfigException(file, 0, 0, "", "not valid YAML: " + oneLine(e.getMessage()));
        }
        if (root == null) {
            throw new ConfigException(file, 0, 0, "", "the config file is empty");
        }
        Map<String, Node> top = mapping(root, "", Set.of(
                "name", "seed", "network", "init", "loss", "updater", "training", "data", "output"));

        String name = requiredString(top, root, "", "name");
        Node nameNode = top.get("name");
        if (!NAME.matcher(name).matches()) {
            throw error(nameNode, "name", "must be letters, digits, '.', '_' or '-' (it names run directories), got '"
                    + name + "'");
        }
        Long seed = top.containsKey("seed") && !isNull(top.get("seed")) ? longValue(top.get("seed"), "seed") : null;
        NetworkSpec network = network(requiredNode(top, root, "", "network"));
        InitSpec init = init(requiredNode(top, root, "", "init"));
        LossKind loss = loss(requiredNode(top, root, "", "loss"));
        UpdaterSpec updater = updater(requiredNode(top, root, "", "updater"));
        TrainingSpec training = training(requiredNode(top, root, "", "training"));
        DataSpec data = data(top.get("data"), training);
        OutputSpec output = output(top.get("output"));
        return new ExperimentConfig(name, seed, network, init, loss, updater, training, data, output);
    }

    // ---------------------------------------------------------------- sections

    private NetworkSpec network(Node node) {
        Map<String, Node> m = mapping(node, "network", Set.of("inputs", "layers"));
        int inputs = requiredInt(m, node, "network", "inputs");
        if (inputs != MNIST_PIXELS) {
            throw error(m.get("inputs"), "network.inputs",
                    "must be " + MNIST_PIXELS + " (MNIST images are 28x28 pixels), got " + inputs);
        }
        Node layersNode = requiredNode(m, node, "network", "layers");
        if (!(layersNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw error(layersNode, "network.layers", "must be a non-empty list of layers ({units, activation})");
        }
        List<LayerSpec> layers = new ArrayList<>();
        int previousUnits = inputs;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node layerNode = seq.getValue().get(i);
            String path = "network.layers[" + i + "]";
            Map<String, Node> lm = mapping(layerNode, path, Set.of("units", "activation", "inputs"));
            int units = requiredInt(lm, layerNode, path, "units");
            if (units < 1 || units > 100_000) {
                throw error(lm.get("units"), path + ".units", "must be between 1 and 100000, got " + units);
            }
            if (lm.containsKey("inputs")) {
                int declared = intValue(lm.get("inputs"), path + ".inputs");
                if (declared != previousUnits) {
                    throw error(lm.get("inputs"), path + ".inputs", "layer sizes do not chain: this layer takes "
                            + declared + " inputs but the " + (i == 0 ? "network has " : "layer before it has ")
                            + previousUnits + (i == 0 ? " inputs" : " units"));
                }
            }
            String act = requiredString(lm, layerNode, path, "activation");
            Activation activation = Activation.fromYaml(act).orElseThrow(() -> error(lm.get("activation"),
                    path + ".activation", "unknown activation '" + act + "'; allowed: " + Activation.allowed()));
            layers.add(new LayerSpec(units, activation));
            previousUnits = units;
        }
        LayerSpec last = layers.get(layers.size() - 1);
        Node lastNode = seq.getValue().get(layers.size() - 1);
        if (last.units() != MNIST_CLASSES) {
            throw error(lastNode, "network.layers[" + (layers.size() - 1) + "].units",
                    "layer sizes do not chain: the output layer must have " + MNIST_CLASSES
                            + " units (MNIST has 10 classes), got " + last.units());
        }
        if (last.activation() != Activation.SIGMOID) {
            throw error(lastNode, "network.layers[" + (layers.size() - 1) + "].activation",
                    "the output layer must be sigmoid (both costs of SPEC §4 are defined on a sigmoid output), got "
                            + last.activation().yamlName());
        }
        return new NetworkSpec(inputs, layers);
    }

    private InitSpec init(Node node) {
        Map<String, Node> m = mapping(node, "init", Set.of("weights", "biases"));
        return new InitSpec(distribution(requiredNode(m, node, "init", "weights"), "init.weights"),
                distribution(requiredNode(m, node, "init", "biases"), "init.biases"));
    }

    private DistributionSpec distribution(Node node, String path) {
        Map<String, Node> m = mapping(node, path, Set.of("distribution", "mean", "std", "divide-by-sqrt-fan-in"));
        if (m.containsKey("distribution")) {
            String kind = stringValue(m.get("distribution"), path + ".distribution");
            if (!kind.equals("normal")) {
                throw error(m.get("distribution"), path + ".distribution",
                        "unknown distribution '" + kind + "'; allowed: normal");
            }
        }
        double mean = requiredDouble(m, node, path, "mean");
        if (!Double.isFinite(mean)) {
            throw error(m.get("mean"), path + ".mean", "must be a finite number, got " + mean);
        }
        double std = requiredDouble(m, node, path, "std");
        if (!Double.isFinite(std) || std < 0) {
            throw error(m.get("std"), path + ".std", "must be a finite number >= 0, got " + std);
        }
        boolean divide = m.containsKey("divide-by-sqrt-fan-in")
                && boolValue(m.get("divide-by-sqrt-fan-in"), path + ".divide-by-sqrt-fan-in");
        return new DistributionSpec(mean, std, divide);
    }

    private LossKind loss(Node node) {
        String name = stringValue(node, "loss");
        return LossKind.fromYaml(name).orElseThrow(() -> error(node, "loss",
                "unknown loss '" + name + "'; allowed: " + LossKind.allowed()));
    }

    private UpdaterSpec updater(Node node) {
        Map<String, Node> m = mapping(node, "updater", Set.of("type", "learning-rate", "l2"));
        String type = requiredString(m, node, "updater", "type");
        if (!type.equals("sgd")) {
            throw error(m.get("type"), "updater.type",
                    "unknown updater '" + type + "'; allowed: sgd (the seed's GradientDescentOptimizer)");
        }
        double lr = requiredDouble(m, node, "updater", "learning-rate");
        if (!Double.isFinite(lr) || lr <= 0) {
            throw error(m.get("learning-rate"), "updater.learning-rate", "must be a finite number > 0, got " + lr);
        }
        double l2 = 0.0;
        if (m.containsKey("l2")) {
            l2 = doubleValue(m.get("l2"), "updater.l2");
            if (!Double.isFinite(l2) || l2 < 0) {
                throw error(m.get("l2"), "updater.l2", "must be a finite number >= 0 (0 = off), got " + l2);
            }
        }
        return new UpdaterSpec(lr, l2);
    }

    private TrainingSpec training(Node node) {
        Map<String, Node> m = mapping(node, "training", Set.of("batch-size", "epochs", "steps-per-epoch"));
        int batch = requiredInt(m, node, "training", "batch-size");
        if (batch < 1 || batch > 10_000) {
            throw error(m.get("batch-size"), "training.batch-size", "must be between 1 and 10000, got " + batch);
        }
        int epochs = requiredInt(m, node, "training", "epochs");
        if (epochs < 1 || epochs > 100_000) {
            throw error(m.get("epochs"), "training.epochs", "must be between 1 and 100000, got " + epochs);
        }
        int steps = requiredInt(m, node, "training", "steps-per-epoch");
        if (steps < 1) {
            throw error(m.get("steps-per-epoch"), "training.steps-per-epoch", "must be >= 1, got " + steps);
        }
        return new TrainingSpec(batch, epochs, steps);
    }

    private DataSpec data(Node node, TrainingSpec training) {
        if (node == null || isNull(node)) {
            return new DataSpec(null, DEFAULT_VALIDATION_SIZE, DEFAULT_MIRRORS);
        }
        Map<String, Node> m = mapping(node, "data", Set.of("dir", "validation-size", "mirrors"));
        Path dir = m.containsKey("dir") && !isNull(m.get("dir"))
                ? Path.of(stringValue(m.get("dir"), "data.dir")) : null;
        int validation = DEFAULT_VALIDATION_SIZE;
        if (m.containsKey("validation-size")) {
            validation = intValue(m.get("validation-size"), "data.validation-size");
            int maxValidation = MNIST_TRAIN_IMAGES - training.batchSize();
            if (validation < 0 || validation > maxValidation) {
                throw error(m.get("validation-size"), "data.validation-size", "must be between 0 and " + maxValidation
                        + " (at least one batch of the 60,000 training images must remain), got " + validation);
            }
        }
        List<URI> mirrors = DEFAULT_MIRRORS;
        if (m.containsKey("mirrors")) {
            Node mn = m.get("mirrors");
            if (!(mn instanceof SequenceNode seq)) {
                throw error(mn, "data.mirrors", "must be a list of https:// base URLs");
            }
            mirrors = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node u = seq.getValue().get(i);
                String path = "data.mirrors[" + i + "]";
                String text = stringValue(u, path);
                try {
                    URI uri = new URI(text.endsWith("/") ? text : text + "/");
                    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        throw error(u, path, "must be an https:// URL, got '" + text + "'");
                    }
                    mirrors.add(uri);
                } catch (URISyntaxException e) {
                    throw error(u, path, "not a URL: '" + text + "'");
                }
            }
        }
        return new DataSpec(dir, validation, mirrors);
    }

    private OutputSpec output(Node node) {
        if (node == null || isNull(node)) {
            return new OutputSpec(DEFAULT_OUTPUT_DIR);
        }
        Map<String, Node> m = mapping(node, "output", Set.of("dir"));
        return new OutputSpec(m.containsKey("dir") ? Path.of(stringValue(m.get("dir"), "output.dir"))
                : DEFAULT_OUTPUT_DIR);
    }

    // ---------------------------------------------------------------- typed access

    /** A mapping's entries by key, rejecting keys outside {@code allowed} and duplicates. */
    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mn)) {
            throw error(node, path.isEmpty() ? "(top level)" : path,
                    "expected a mapping with keys " + sorted(allowed) + ", got " + describe(node));
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            Node k = t.getKeyNode();
            String key = k instanceof ScalarNode s ? s.getValue() : null;
            String keyPath = path.isEmpty() ? String.valueOf(key) : path + "." + key;
            if (key == null || !allowed.contains(key)) {
                throw error(k, keyPath, "unknown key; allowed here: " + sorted(allowed));
            }
            if (out.put(key, t.getValueNode()) != null) {
                throw error(k, keyPath, "duplicate key");
            }
        }
        return out;
    }

    private Node requiredNode(Map<String, Node> m, Node parent, String path, String key) {
        Node n = m.get(key);
        if (n == null || isNull(n)) {
            throw error(n != null ? n : parent, path.isEmpty() ? key : path + "." + key, "required key is missing");
        }
        return n;
    }

    private String requiredString(Map<String, Node> m, Node parent, String path, String key) {
        return stringValue(requiredNode(m, parent, path, key), path.isEmpty() ? key : path + "." + key);
    }

    private int requiredInt(Map<String, Node> m, Node parent, String path, String key) {
        return intValue(requiredNode(m, parent, path, key), path + "." + key);
    }

    private double requiredDouble(Map<String, Node> m, Node parent, String path, String key) {
        return doubleValue(requiredNode(m, parent, path, key), path + "." + key);
    }

    private String stringValue(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !Tag.STR.equals(s.getTag())) {
            throw error(node, path, "expected a string, got " + describe(node));
        }
        return s.getValue();
    }

    private long longValue(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
            throw error(node, path, "expected an integer, got " + describe(node));
        }
        try {
            return Long.decode(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(node, path, "expected an integer that fits in 64 bits, got " + s.getValue());
        }
    }

    private int intValue(Node node, String path) {
        long v = longValue(node, path);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error(node, path, "integer out of range: " + v);
        }
        return (int) v;
    }

    private double doubleValue(Node node, String path) {
        if (node instanceof ScalarNode s && (Tag.FLOAT.equals(s.getTag()) || Tag.INT.equals(s.getTag()))) {
            String v = s.getValue().replace("_", "");
            switch (v.toLowerCase()) {
                case ".nan":
                    return Double.NaN;
                case ".inf":
                case "+.inf":
                    return Double.POSITIVE_INFINITY;
                case "-.inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw error(node, path, "expected a number, got " + v);
                    }
            }
        }
        throw error(node, path, "expected a number, got " + describe(node));
    }

    private boolean boolValue(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !Tag.BOOL.equals(s.getTag())) {
            throw error(node, path, "expected true or false, got " + describe(node));
        }
        return Boolean.parseBoolean(s.getValue().toLowerCase());
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            String kind = Tag.INT.equals(s.getTag()) ? "integer" : Tag.FLOAT.equals(s.getTag()) ? "number"
                    : Tag.BOOL.equals(s.getTag()) ? "boolean" : Tag.NULL.equals(s.getTag()) ? "nothing" : "string";
            return kind + " '" + s.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : node instanceof MappingNode ? "a mapping" : "a YAML node";
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    private ConfigException error(Node node, String keyPath, String problem) {
        Mark m = node == null ? null : node.getStartMark();
        return m == null ? new ConfigException(file, 0, 0, keyPath, problem)
                : new ConfigException(file, m.getLine() + 1, m.getColumn() + 1, keyPath, problem);
    }
}
