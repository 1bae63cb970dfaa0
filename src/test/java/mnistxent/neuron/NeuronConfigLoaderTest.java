package mnistxent.neuron;

import mnistxent.UserError;
import mnistxent.config.ConfigException;
import mnistxent.config.LossKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuronConfigLoaderTest {

    private static final String VALID = """
            name: neuron
            epochs: 300
            input: 1.0
            target: 0.0
            starts:
              - {w: 0.6, b: 0.9}
              - {w: 2.0, b: 2.0}
            costs:
              - {loss: quadratic, learning-rate: 0.15}
              - {loss: sigmoid-cross-entropy-with-logits, learning-rate: 0.005}
            output:
              dir: runs/neuron
            """;

    private static ConfigException error(String yaml) {
        return assertThrows(ConfigException.class, () -> NeuronConfigLoader.parse("neuron.yaml", yaml));
    }

    private static String replace(String from, String to) {
        assertTrue(VALID.contains(from), from);
        return VALID.replace(from, to);
    }

    @Test
    void readsTheShippedConfig() {
        NeuronConfig config = NeuronConfigLoader.load(Path.of("config/neuron.yaml"));
        assertEquals("neuron", config.name());
        assertEquals(300, config.epochs());
        assertEquals(1.0, config.input());
        assertEquals(0.0, config.target());
        assertEquals(List.of(new Start(0.6, 0.9), new Start(2.0, 2.0)), config.starts());
        assertEquals(List.of(new CostSpec(LossKind.QUADRATIC, 0.15),
                new CostSpec(LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, 0.005)), config.costs());
        assertEquals(Path.of("runs/neuron"), config.outputDir());
    }

    @Test
    void outputIsOptional() {
        String yaml = VALID.substring(0, VALID.indexOf("output:"));
        assertEquals(NeuronConfigLoader.DEFAULT_OUTPUT_DIR, NeuronConfigLoader.parse("n.yaml", yaml).outputDir());
    }

    @Test
    void aConfigErrorIsAOneLineUserError() {
        ConfigException e = error(replace("epochs: 300", "epochs: 0"));
        assertInstanceOf(UserError.class, e);
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unknownKeyNamesItsPlaceAndTheAllowedKeys() {
        ConfigException e = error(replace("epochs: 300", "epochs: 300\nepoch: 3"));
        assertEquals("neuron.yaml:3:1: epoch: unknown key; allowed here: costs, epochs, input, name, output, starts, target",
                e.getMessage());
        ConfigException nested = error(replace("{w: 2.0, b: 2.0}", "{w: 2.0, b: 2.0, c: 1}"));
        assertEquals("starts[1].c", nested.keyPath());
        assertEquals(7, nested.line());
        assertTrue(nested.problem().contains("allowed here: b, w"), nested.getMessage());
    }

    @Test
    void wrongTypes() {
        ConfigException epochs = error(replace("epochs: 300", "epochs: many"));
        assertEquals("neuron.yaml:2:9: epochs: expected an integer, got string 'many'", epochs.getMessage());
        ConfigException lr = error(replace("learning-rate: 0.15", "learning-rate: fast"));
        assertEquals("costs[0].learning-rate", lr.keyPath());
        assertEquals(9, lr.line());
        assertTrue(lr.problem().startsWith("expected a number"), lr.getMessage());
        ConfigException starts = error(replace("""
                  - {w: 0.6, b: 0.9}
                  - {w: 2.0, b: 2.0}
                """, "  {w: 0.6, b: 0.9}\n"));
        assertEquals("starts", starts.keyPath());
        assertTrue(starts.problem().contains("non-empty list of {w, b}"), starts.getMessage());
        ConfigException start = error(replace("- {w: 0.6, b: 0.9}", "- 0.6"));
        assertEquals("starts[0]", start.keyPath());
        assertTrue(start.problem().startsWith("expected a mapping with keys b, w"), start.getMessage());
        ConfigException input = error(replace("input: 1.0", "input: [1]"));
        assertEquals("neuron.yaml:3:8: input: expected a number, got a list", input.getMessage());
    }

    @Test
    void outOfRangeValues() {
        assertEquals("neuron.yaml:2:9: epochs: must be between 1 and 100000, got 0",
                error(replace("epochs: 300", "epochs: 0")).getMessage());
        assertEquals("neuron.yaml:2:9: epochs: must be between 1 and 100000, got 100001",
                error(replace("epochs: 300", "epochs: 100001")).getMessage());
        assertEquals("neuron.yaml:9:38: costs[0].learning-rate: must be a finite number > 0, got -0.15",
                error(replace("learning-rate: 0.15", "learning-rate: -0.15")).getMessage());
        assertEquals("neuron.yaml:9:38: costs[0].learning-rate: must be a finite number > 0, got NaN",
                error(replace("learning-rate: 0.15", "learning-rate: .nan")).getMessage());
        assertEquals("costs[1].learning-rate", error(replace("learning-rate: 0.005", "learning-rate: 0")).keyPath());
        assertEquals("costs[1].learning-rate", error(replace("learning-rate: 0.005", "learning-rate: .inf")).keyPath());
        ConfigException target = error(replace("target: 0.0", "target: 2"));
        assertEquals("target", target.keyPath());
        assertTrue(target.problem().startsWith("must be between 0 and 1"), target.getMessage());
        assertEquals("input", error(replace("input: 1.0", "input: .inf")).keyPath());
        assertEquals("starts[1].w", error(replace("{w: 2.0, b: 2.0}", "{w: .nan, b: 2.0}")).keyPath());
    }

    @Test
    void unknownLossListsTheAllowedOnes() {
        ConfigException e = error(replace("loss: quadratic", "loss: hinge"));
        assertEquals("neuron.yaml:9:12: costs[0].loss: unknown loss 'hinge'; allowed: "
                + "sigmoid-cross-entropy-with-logits | quadratic", e.getMessage());
    }

    @Test
    void missingKeysAndEmptyLists() {
        ConfigException name = error(replace("name: neuron\n", ""));
        assertEquals("name", name.keyPath());
        assertEquals("required key is missing", name.problem());
        assertEquals("costs[0].learning-rate",
                error(replace("{loss: quadratic, learning-rate: 0.15}", "{loss: quadratic}")).keyPath());
        assertEquals("starts", error(replace("""
                  - {w: 0.6, b: 0.9}
                  - {w: 2.0, b: 2.0}
                """, "  []\n").replace("starts:\n  []", "starts: []")).keyPath());
    }

    @Test
    void repeatsAreRejected() {
        ConfigException start = error(replace("{w: 2.0, b: 2.0}", "{w: 0.6, b: 0.9}"));
        assertEquals("starts[1]", start.keyPath());
        assertTrue(start.problem().contains("the same start as starts[0]"), start.getMessage());
        ConfigException loss = error(replace("loss: sigmoid-cross-entropy-with-logits", "loss: quadratic"));
        assertEquals("costs[1].loss", loss.keyPath());
        assertTrue(loss.problem().contains("already costs[0]"), loss.getMessage());
    }

    @Test
    void badNameAndOutput() {
        assertEquals("name", error(replace("name: neuron", "name: my neuron")).keyPath());
        assertEquals("output.dir", error(replace("dir: runs/neuron", "dir: 3")).keyPath());
        assertEquals("output.dir", error(replace("dir: runs/neuron", "dir: ''")).keyPath());
        assertEquals("output.where", error(replace("dir: runs/neuron", "where: x")).keyPath());
    }

    @Test
    void notYamlOrNoFile(@TempDir Path dir) {
        ConfigException syntax = error("name: [unclosed\n");
        assertTrue(syntax.problem().startsWith("not valid YAML"), syntax.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> NeuronConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(missing.problem().startsWith("no such config file"), missing.getMessage());
    }
}
