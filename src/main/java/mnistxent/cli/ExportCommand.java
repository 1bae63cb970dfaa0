package mnistxent.cli;

import mnistxent.engine.Backend;
import mnistxent.model.LayerParameters;
import mnistxent.model.NpyParameters;
import mnistxent.model.TfParameters;
import mnistxent.run.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code export}: a model zip's parameters as the seed script's NumPy arrays. */
@Command(name = "export",
        header = "Write a saved model's parameters as the seed script's NumPy files.", mixinStandardHelpOptions = true,
        description = {
                "Writes the model's parameters as W_2.npy [784,30], b_2.npy [30],",
                "W_3.npy [30,10], b_3.npy [10] (float32, the seed script's names and",
                "shapes): numpy.load reads them; train --init and replay --init start",
                "from them."})
public final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory (created; "
            + "existing .npy files of the same names are replaced).")
    Path out;

    @Override
    public Integer call() {
        Backend.detect();
        ModelFile.Loaded loaded = model.load();
        if (loaded.config() != null || model.config != null) {
            model.config(loaded, null);     // the shapes must be the config's
        }
        List<LayerParameters> layers = TfParameters.read(loaded.network());
        List<Path> files = NpyParameters.write(out, layers);
        PrintWriter stdout = spec.commandLine().getOut();
        for (int i = 0; i < files.size(); i++) {
            LayerParameters layer = layers.get(i / 2);
            String shape = i % 2 == 0 ? "(" + layer.nIn() + ", " + layer.nOut() + ")" : "(" + layer.nOut() + ",)";
            stdout.println(files.get(i) + "  float32 " + shape);
        }
        stdout.flush();
        return 0;
    }
}
