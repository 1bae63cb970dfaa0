package mnistxent.model;

import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.npy.NpyArrays;
import mnistxent.npy.NpyException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The four tensors of the seed script as NumPy files, to and from a DL4J network (SPEC §3). */
class NpyParametersTest {

    @TempDir
    Path tmp;

    private static ExperimentConfig seedConfig() {
        return ConfigLoader.load(Path.of("config/tf14-cross-entropy.yaml")).withSeed(5);
    }

    @Test
    void aNetworkRoundTripsThroughTheFourFiles() {
        ExperimentConfig config = seedConfig();
        List<LayerParameters> original = TfParameters.read(NetworkFactory.create(config));
        List<Path> files = NpyParameters.write(tmp.resolve("out"), original);
        assertEquals(List.of("W_2.npy", "b_2.npy", "W_3.npy", "b_3.npy"),
                files.stream().map(p -> p.getFileName().toString()).toList());

        MultiLayerNetwork restored = NetworkFactory.create(config, NpyParameters.read(tmp.resolve("out"), config.network()));
        List<LayerParameters> back = TfParameters.read(restored);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(original.get(i).weights(), back.get(i).weights());
            assertArrayEquals(original.get(i).biases(), back.get(i).biases());
        }
    }

    @Test
    void missingFilesAndDirectoriesAreNamed() throws Exception {
        ExperimentConfig config = seedConfig();
        assertEquals("no directory " + tmp.resolve("nope") + "; it must hold W_2.npy, b_2.npy, W_3.npy, b_3.npy "
                        + "(the export command writes them)",
                assertThrows(NpyException.class, () -> NpyParameters.read(tmp.resolve("nope"), config.network()))
                        .getMessage());
        NpyParameters.write(tmp, TfParameters.read(NetworkFactory.create(config)));
        Files.delete(tmp.resolve("b_3.npy"));
        assertEquals(tmp + " lacks b_3.npy; it must hold W_2.npy, b_2.npy, W_3.npy, b_3.npy (the export command "
                        + "writes them)",
                assertThrows(NpyException.class, () -> NpyParameters.read(tmp, config.network())).getMessage());
    }

    @Test
    void theShapesComeFromTheConfig() {
        ExperimentConfig config = seedConfig();
        NpyParameters.write(tmp, TfParameters.read(NetworkFactory.create(config)));
        NpyArrays.writeFloat32(tmp.resolve("b_2.npy"), new float[30], 1, 30);
        assertEquals(tmp.resolve("b_2.npy") + " has shape (1, 30) but b_2 of the 784-30-10 network must have shape "
                        + "(30,); save the array with that shape",
                assertThrows(NpyException.class, () -> NpyParameters.read(tmp, config.network())).getMessage());
    }
}
