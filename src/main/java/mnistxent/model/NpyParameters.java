package mnistxent.model;

import mnistxent.OneLine;
import mnistxent.config.NetworkSpec;
import mnistxent.npy.NpyArrays;
import mnistxent.npy.NpyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The network's parameters as NumPy files, named and shaped as the seed script's variables (SPEC §3):
 * {@code W_2.npy [784,30]}, {@code b_2.npy [30]} (rank 1, like {@code tf.Variable(tf.random_normal([30]))}),
 * {@code W_3.npy [30,10]}, {@code b_3.npy [10]}, float32, row-major. So {@code numpy.save("W_2.npy",
 * sess.run(W_2))} in a TF session produces a file this reads, and {@code numpy.load} reads what this writes.
 */
public final class NpyParameters {

    private NpyParameters() {
    }

    /** The file names in a directory of parameters, in layer order: W_2.npy, b_2.npy, W_3.npy, b_3.npy. */
    public static List<String> fileNames(NetworkSpec network) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < network.layers().size(); i++) {
            names.add(LayerParameters.weightName(i) + ".npy");
            names.add(LayerParameters.biasName(i) + ".npy");
        }
        return names;
    }

    /** Writes one file per tensor into {@code dir} (created if missing); returns the files written. */
    public static List<Path> write(Path dir, List<LayerParameters> layers) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NpyException("cannot create the directory " + dir + " (" + OneLine.reason(e) + ")");
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerParameters layer = layers.get(i);
            Path w = dir.resolve(LayerParameters.weightName(i) + ".npy");
            NpyArrays.writeFloat32(w, layer.weights(), layer.nIn(), layer.nOut());
            Path b = dir.resolve(LayerParameters.biasName(i) + ".npy");
            NpyArrays.writeFloat32(b, layer.biases(), layer.nOut());
            written.add(w);
            written.add(b);
        }
        return written;
    }

    /**
     * Reads the parameters of {@code network} from {@code dir}: every file must be there, float32, with
     * exactly the shape the network needs.
     */
    public static List<LayerParameters> read(Path dir, NetworkSpec network) {
        if (!Files.isDirectory(dir)) {
            throw new NpyException(Files.exists(dir) ? dir + " is a file; give the directory that holds "
                    + String.join(", ", fileNames(network)) : "no directory " + dir + "; it must hold "
                    + String.join(", ", fileNames(network)) + " (the export command writes them)");
        }
        List<String> missing = fileNames(network).stream().filter(n -> !Files.isRegularFile(dir.resolve(n)))
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new NpyException(dir + " lacks " + String.join(", ", missing) + "; it must hold "
                    + String.join(", ", fileNames(network)) + " (the export command writes them)");
        }
        String architecture = IntStream.rangeClosed(0, network.layers().size())
                .mapToObj(i -> Integer.toString(i == 0 ? network.inputs() : network.layers().get(i - 1).units()))
                .collect(Collectors.joining("-"));
        List<LayerParameters> layers = new ArrayList<>();
        for (int i = 0; i < network.layers().size(); i++) {
            int nIn = network.fanIn(i);
            int nOut = network.layers().get(i).units();
            float[] w = NpyArrays.readFloat32(dir.resolve(LayerParameters.weightName(i) + ".npy"),
                    new long[]{nIn, nOut}, LayerParameters.weightName(i) + " of the " + architecture + " network");
            float[] b = NpyArrays.readFloat32(dir.resolve(LayerParameters.biasName(i) + ".npy"),
                    new long[]{nOut}, LayerParameters.biasName(i) + " of the " + architecture + " network");
            layers.add(new LayerParameters(nIn, nOut, w, b));
        }
        NonFiniteParameters.requireFinite(layers, dir.toString());
        return layers;
    }
}
