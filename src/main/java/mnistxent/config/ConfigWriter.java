package mnistxent.config;

import java.net.URI;
import java.util.Locale;

/**
 * Writes a config back in the schema {@link ConfigLoader} reads: the "effective config" stored in
 * each run directory and model zip, with the seed actually used and every default spelled out,
 * so that {@code train --config <run>/config.yaml} repeats the run.
 */
public final class ConfigWriter {

    private ConfigWriter() {
    }

    public static String toYaml(ExperimentConfig c, String headerComment) {
        StringBuilder y = new StringBuilder();
        for (String line : headerComment.split("\n")) {
            y.append("# ").append(line).append('\n');
        }
        y.append("name: ").append(c.name()).append('\n');
        if (c.hasSeed()) {
            y.append("seed: ").append(c.seed()).append('\n');
        }
        y.append("network:\n  inputs: ").append(c.network().inputs()).append("\n  layers:\n");
        for (LayerSpec l : c.network().layers()) {
            y.append("    - units: ").append(l.units()).append('\n')
             .append("      activation: ").append(l.activation().yamlName()).append('\n');
        }
        y.append("init:\n");
        distribution(y, "weights", c.init().weights());
        distribution(y, "biases", c.init().biases());
        y.append("loss: ").append(c.loss().yamlName()).append('\n');
        y.append("updater:\n  type: sgd\n  learning-rate: ").append(number(c.updater().learningRate())).append('\n');
        if (c.updater().l2() > 0) {
            y.append("  l2: ").append(number(c.updater().l2())).append('\n');
        }
        y.append("training:\n  batch-size: ").append(c.training().batchSize())
         .append("\n  epochs: ").append(c.training().epochs())
         .append("\n  steps-per-epoch: ").append(c.training().stepsPerEpoch()).append('\n');
        y.append("data:\n");
        if (c.data().dir() != null) {
            y.append("  dir: ").append(quoted(c.data().dir().toString())).append('\n');
        }
        y.append("  validation-size: ").append(c.data().validationSize()).append('\n');
        y.append("  mirrors:\n");
        for (URI m : c.data().mirrors()) {
            y.append("    - ").append(quoted(m.toString())).append('\n');
        }
        y.append("output:\n  dir: ").append(quoted(c.output().dir().toString())).append('\n');
        return y.toString();
    }

    private static void distribution(StringBuilder y, String key, DistributionSpec d) {
        y.append("  ").append(key).append(": {distribution: normal, mean: ").append(number(d.mean()))
         .append(", std: ").append(number(d.std())).append(", divide-by-sqrt-fan-in: ")
         .append(d.divideBySqrtFanIn()).append("}\n");
    }

    /** A double that YAML reads back as the same double (always with a '.' or exponent). */
    private static String number(double v) {
        String s = Double.toString(v).toLowerCase(Locale.ROOT);
        return s.contains("e") && !s.contains(".") ? s.replace("e", ".0e") : s;
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
