package mnistxent.neuron;

import mnistxent.config.ConfigException;
import mnistxent.config.LossKind;
import mnistxent.config.YamlTree;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the single-neuron experiment's YAML ({@code config/neuron.yaml}, docs/SPEC.md §7) into a
 * validated {@link NeuronConfig}. Every problem is a {@link ConfigException}, one line naming
 * {@code file:line:column}, the key path and what is allowed, as for the training configs.
 *
 * <pre>
 * name: neuron                 # letters, digits, '.', '_', '-'
 * epochs: 300                  # 1..100000 updates per curve
 * input: 1.0                   # x, any finite number
 * target: 0.0                  # y, in [0, 1] (both costs need a probability)
 * starts:                      # one curve per start and cost; no start twice
 *   - {w: 0.6, b: 0.9}
 *   - {w: 2.0, b: 2.0}
 * costs:                       # one chart panel per cost; no loss twice
 *   - {loss: quadratic, learning-rate: 0.15}
 *   - {loss: sigmoid-cross-entropy-with-logits, learning-rate: 0.005}
 * output:                      # optional
 *   dir: runs/neuron           # default runs/neuron
 * </pre>
 */
public final class NeuronConfigLoader {

    public static final Path DEFAULT_CONFIG = Path.of("config/neuron.yaml");
    public static final Path DEFAULT_OUTPUT_DIR = Path.of("runs/neuron");
    public static final int MAX_EPOCHS = 100_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final YamlTree yaml;

    private NeuronConfigLoader(YamlTree yaml) {
        this.yaml = yaml;
    }

    /** Loads and validates a config file. */
    public static NeuronConfig load(Path path) {
        return new NeuronConfigLoader(YamlTree.load(path)).read();
    }

    /** Parses config text; {@code file} is only used in error messages. */
    public static NeuronConfig parse(String file, String text) {
        return new NeuronConfigLoader(YamlTree.parse(file, text)).read();
    }

    private NeuronConfig read() {
        Node root = yaml.root();
        Map<String, Node> top = yaml.mapping(root, "", Set.of(
                "name", "epochs", "input", "target", "starts", "costs", "output"));

        String name = yaml.requiredString(top, root, "", "name");
        if (!NAME.matcher(name).matches()) {
            throw yaml.error(top.get("name"), "name",
                    "must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        int epochs = yaml.intValue(yaml.requiredNode(top, root, "", "epochs"), "epochs");
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw yaml.error(top.get("epochs"), "epochs", "must be between 1 and " + MAX_EPOCHS + ", got " + epochs);
        }
        double input = yaml.doubleValue(yaml.requiredNode(top, root, "", "input"), "input");
        if (!Double.isFinite(input)) {
            throw yaml.error(top.get("input"), "input", "must be a finite number, got " + input);
        }
        double target = yaml.doubleValue(yaml.requiredNode(top, root, "", "target"), "target");
        if (!(target >= 0 && target <= 1)) {
            throw yaml.error(top.get("target"), "target",
                    "must be between 0 and 1 (both costs compare the sigmoid output with a probability), got "
                            + target);
        }
        List<Start> starts = starts(yaml.requiredNode(top, root, "", "starts"));
        List<CostSpec> costs = costs(yaml.requiredNode(top, root, "", "costs"));
        Path outputDir = output(top.get("output"));
        return new NeuronConfig(name, epochs, input, target, starts, costs, outputDir);
    }

    private List<Node> nonEmptyList(Node node, String path, String what) {
        if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw yaml.error(node, path, "must be a non-empty list of " + what);
        }
        return seq.getValue();
    }

    private List<Start> starts(Node node) {
        List<Node> items = nonEmptyList(node, "starts", "{w, b}");
        Map<Start, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = "starts[" + i + "]";
            Map<String, Node> m = yaml.mapping(item, path, Set.of("w", "b"));
            double w = finite(m, item, path, "w");
            double b = finite(m, item, path, "b");
            Start start = new Start(w, b);
            Integer earlier = seen.putIfAbsent(start, i);
            if (earlier != null) {
                throw yaml.error(item, path, "the same start as starts[" + earlier + "] (it would draw the same curve twice)");
            }
        }
        return List.copyOf(seen.keySet());
    }

    private List<CostSpec> costs(Node node) {
        List<Node> items = nonEmptyList(node, "costs", "{loss, learning-rate}");
        Map<LossKind, Integer> seen = new EnumMap<>(LossKind.class);
        List<CostSpec> costs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = "costs[" + i + "]";
            Map<String, Node> m = yaml.mapping(item, path, Set.of("loss", "learning-rate"));
            String lossName = yaml.requiredString(m, item, path, "loss");
            LossKind loss = LossKind.fromYaml(lossName).orElseThrow(() -> yaml.error(m.get("loss"), path + ".loss",
                    "unknown loss '" + lossName + "'; allowed: " + LossKind.allowed()));
            Integer earlier = seen.putIfAbsent(loss, i);
            if (earlier != null) {
                throw yaml.error(m.get("loss"), path + ".loss", "'" + lossName + "' is already costs[" + earlier
                        + "] (each cost is one chart panel)");
            }
            double lr = yaml.requiredDouble(m, item, path, "learning-rate");
            if (!Double.isFinite(lr) || lr <= 0) {
                throw yaml.error(m.get("learning-rate"), path + ".learning-rate",
                        "must be a finite number > 0, got " + lr);
            }
            costs.add(new CostSpec(loss, lr));
        }
        return costs;
    }

    private double finite(Map<String, Node> m, Node parent, String path, String key) {
        double v = yaml.requiredDouble(m, parent, path, key);
        if (!Double.isFinite(v)) {
            throw yaml.error(m.get(key), path + "." + key, "must be a finite number, got " + v);
        }
        return v;
    }

    private Path output(Node node) {
        if (node == null || YamlTree.isNull(node)) {
            return DEFAULT_OUTPUT_DIR;
        }
        Map<String, Node> m = yaml.mapping(node, "output", Set.of("dir"));
        if (!m.containsKey("dir") || YamlTree.isNull(m.get("dir"))) {
            return DEFAULT_OUTPUT_DIR;
        }
        String dir = yaml.stringValue(m.get("dir"), "output.dir");
        if (dir.isBlank()) {
            throw yaml.error(m.get("dir"), "output.dir", "must be a directory path, got an empty string");
        }
        try {
            return Path.of(dir);
        } catch (InvalidPathException e) {
            throw yaml.error(m.get("dir"), "output.dir", "not a valid path: " + e.getReason());
        }
    }
}
