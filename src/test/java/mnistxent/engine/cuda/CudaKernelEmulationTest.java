package mnistxent.engine.cuda;

import mnistxent.config.Activation;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.LayerSpec;
import mnistxent.config.LossKind;
import mnistxent.config.NetworkSpec;
import mnistxent.config.TrainingSpec;
import mnistxent.config.UpdaterSpec;
import mnistxent.data.TfPixels;
import mnistxent.engine.KernelEngine;
import mnistxent.engine.kernel.MlpKernel;
import mnistxent.engine.kernel.KernelImages;
import mnistxent.model.LayerParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CUDA kernels of {@code src/main/cuda/mlp.cu}, run unchanged on the CPU by the emulation in
 * {@code src/test/cuda} (one OS thread per CUDA thread, real barriers), against MlpKernel: after K steps
 * every parameter, every step's loss and the test counts must be equal to the bit (the L2 loss: within
 * one ulp, see mlp.cu). No GPU is needed; g++ (C++20) is.
 */
class CudaKernelEmulationTest {

    private static final int PIXELS = 784;
    private static final int IMAGES = 150;
    /** The opt-in shared memory per block of an H100/H200. */
    private static final int H200_SHARED = 232_448;
    /** ... of most consumer GPUs: too little for the seed net's parameters. */
    private static final int CONSUMER_SHARED = 101_376;

    private static Path emulator;
    private static byte[] pixels;
    private static byte[] labels;
    private static KernelImages sparse;
    private static KernelLayout.PackedImages packed;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildEmulatorAndData() throws IOException, InterruptedException {
        emulator = compileEmulator();
        Random r = new Random(20240611L);
        pixels = new byte[IMAGES * PIXELS];
        labels = new byte[IMAGES];
        for (int n = 0; n < IMAGES; n++) {
            labels[n] = (byte) r.nextInt(10);
            if (n == 3) {
                continue;                                 // one blank image: no lit pixel at all
            }
            for (int p = 0; p < PIXELS; p++) {
                if (r.nextInt(5) == 0) {                  // ~80% zero, like MNIST
                    pixels[n * PIXELS + p] = (byte) (1 + r.nextInt(255));
                }
            }
        }
        sparse = KernelImages.of(pixels, labels, IMAGES, PIXELS, TfPixels.SCALE);
        packed = KernelLayout.packImages(pixels, labels, IMAGES, PIXELS);
    }

    /** One network, its training settings and the block size. */
    record Case(String name, int[] sizes, Activation[] activations, LossKind loss, double learningRate, double l2,
                int batch, int threads, int steps, double initStd) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Activation SIG = Activation.SIGMOID;
    private static final LossKind XENT = LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS;

    static Case seed() {
        return new Case("seed 784-30-10 sigmoid, xent, lr 3, batch 10, 128 threads", new int[]{784, 30, 10},
                new Activation[]{SIG, SIG}, XENT, 3.0, 0, 10, 128, 30, 1.0);
    }

    static Stream<Case> cases() {
        return Stream.of(
                seed(),
                new Case("quadratic cost", new int[]{784, 30, 10}, new Activation[]{SIG, SIG},
                        LossKind.QUADRATIC, 3.0, 0, 10, 128, 30, 1.0),
                new Case("xent with l2 1e-4", new int[]{784, 30, 10}, new Activation[]{SIG, SIG},
                        XENT, 3.0, 1e-4, 10, 128, 25, 1.0),
                new Case("tanh hidden layer", new int[]{784, 30, 10}, new Activation[]{Activation.TANH, SIG},
                        XENT, 0.5, 0, 10, 128, 30, 0.3),
                new Case("relu hidden layer", new int[]{784, 30, 10}, new Activation[]{Activation.RELU, SIG},
                        XENT, 0.1, 0, 10, 128, 30, 0.1),
                new Case("3 layers 784-40-33-10 (wider than a warp), quadratic", new int[]{784, 40, 33, 10},
                        new Activation[]{SIG, Activation.TANH, SIG}, LossKind.QUADRATIC, 1.0, 0, 10, 128, 25, 0.5),
                new Case("1 layer 784-10, relu output, xent", new int[]{784, 10}, new Activation[]{Activation.RELU},
                        XENT, 0.5, 0, 10, 64, 25, 0.1),
                new Case("batch 1", new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0, 1, 128, 40, 1.0),
                new Case("batch 37 (parameters in global memory)", new int[]{784, 30, 10}, new Activation[]{SIG, SIG},
                        XENT, 3.0, 0, 37, 128, 15, 1.0),
                new Case("seed net, 1024 threads", new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0,
                        10, 1024, 8, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainingAndCountingEqualMlpKernelBitForBit(Case c) throws Exception {
        KernelLayout layout = layout(c, H200_SHARED);
        List<LayerParameters> init = initialParameters(c, 1);
        int[][] batches = batches(c, 2);

        Reference ref = reference(c, init, batches);
        Emulated got = train(layout, List.of(init), List.<int[][]>of(batches), c.steps());

        assertParametersEqual(ref.params(), layout.unpackParameters(got.params(), 0), c.name());
        assertLossesEqual(ref.losses(), got.losses(), 0, c);
        assertAllFinite(ref.params(), c.name());
        int[] counts = count(layout, got.params(), 1);
        assertEquals(ref.correct(), counts[0], "correct count after " + c.steps() + " steps");
        // and with the initial parameters
        int[] before = count(layout, layout.packParameters(List.of(init)), 1);
        assertEquals(reference(c, init, new int[0][]).correct(), before[0], "correct count of the initial parameters");
    }

    @Test
    void threeRunsInOneLaunchEqualTheSameRunsLaunchedOneAtATime() throws Exception {
        Case c = seed();
        KernelLayout layout = layout(c, H200_SHARED);
        List<List<LayerParameters>> inits = new ArrayList<>();
        List<int[][]> batches = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            inits.add(initialParameters(c, 10 + run));
            batches.add(batches(c, 20 + run));
        }
        Emulated together = train(layout, inits, batches, c.steps());
        int[] counts = count(layout, together.params(), 3);
        for (int run = 0; run < 3; run++) {
            Emulated alone = train(layout, List.of(inits.get(run)), List.<int[][]>of(batches.get(run)), c.steps());
            Reference ref = reference(c, inits.get(run), batches.get(run));
            String what = "run " + run;
            assertParametersEqual(layout.unpackParameters(alone.params(), 0), layout.unpackParameters(together.params(),
                    run), what + ": one launch vs alone");
            assertParametersEqual(ref.params(), layout.unpackParameters(together.params(), run), what + " vs MlpKernel");
            for (int s = 0; s < c.steps(); s++) {
                assertEquals(Float.floatToRawIntBits(alone.losses()[s]),
                        Float.floatToRawIntBits(together.losses()[run * c.steps() + s]), what + ", loss of step " + s);
            }
            assertLossesEqual(ref.losses(), together.losses(), run, c);
            assertEquals(ref.correct(), counts[run], what + ": correct count");
        }
    }

    @Test
    void everySharedMemoryLayoutGivesTheSameResults() throws Exception {
        // {shared bytes per block, entry bytes, parameters in shared}: wide entries and the parameters
        // (H200), compact entries and the parameters, wide entries alone (consumer GPU), compact alone.
        int[][] layouts = {{H200_SHARED, 8, 1}, {175_000, 4, 1}, {CONSUMER_SHARED, 8, 0}, {70_000, 4, 0}};
        Case c = seed();
        List<LayerParameters> init = initialParameters(c, 5);
        int[][] batches = batches(c, 6);
        Reference ref = reference(c, init, batches);
        for (int[] l : layouts) {
            KernelLayout layout = layout(c, l[0]);
            String what = l[0] + " bytes of shared memory";
            assertEquals(l[1], layout.entryBytes(), what + ": entry bytes");
            assertEquals(l[2] == 1, layout.parametersInShared(), what + ": parameters in shared memory");
            assertTrue(layout.trainSharedBytes() <= l[0], what);
            Emulated got = train(layout, List.of(init), List.<int[][]>of(batches), c.steps());
            assertParametersEqual(ref.params(), layout.unpackParameters(got.params(), 0), what);
            for (int s = 0; s < c.steps(); s++) {
                assertEquals(Float.floatToRawIntBits(ref.losses()[s]), Float.floatToRawIntBits(got.losses()[s]),
                        what + ": loss of step " + s);
            }
        }
    }

    @Test
    void theSeedNetKeepsItsParametersInSharedMemoryOnAnH200WithRealMnistSizes() {
        // MNIST's training images have at most 351 lit pixels.
        KernelLayout k = KernelLayout.of(new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0, 10, 351,
                H200_SHARED, 1024);
        assertTrue(k.parametersInShared(), "shared bytes " + k.trainSharedBytes());
        assertEquals(8, k.entryBytes());
        assertEquals(26_112, k.paramStride());
        assertEquals(10, k.exampleWarps());
        assertTrue(k.trainSharedBytes() <= H200_SHARED);
        // an A100 (163 KB): parameters in global memory; a consumer GPU (99 KB): compact entries as well
        KernelLayout a100 = KernelLayout.of(new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0, 10, 351,
                166_912, 1024);
        assertFalse(a100.parametersInShared());
        assertEquals(8, a100.entryBytes());
        KernelLayout consumer = KernelLayout.of(new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0, 10,
                351, CONSUMER_SHARED, 1024);
        assertFalse(consumer.parametersInShared());
        assertEquals(4, consumer.entryBytes());
        // batch 40 fits an H200 only with compact entries, the parameters in global memory and fewer
        // example warps (each has a backprop scratch) than the 20 it would have
        KernelLayout big = KernelLayout.of(new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0, 40, 351,
                H200_SHARED, 1024);
        assertFalse(big.parametersInShared());
        assertEquals(4, big.entryBytes());
        assertTrue(big.exampleWarps() < 20, "example warps " + big.exampleWarps());
        assertTrue(big.trainSharedBytes() <= H200_SHARED);
    }

    @Test
    void configsTheKernelsCannotRunAreRefusedWithOneLine() {
        UnsupportedConfigException batch = assertThrows(UnsupportedConfigException.class, () -> KernelLayout.of(
                new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0, 100, 351, H200_SHARED, 1024));
        assertEquals("the cuda engine takes batches of at most 64 (the config has 100)", batch.getMessage());
        UnsupportedConfigException layers = assertThrows(UnsupportedConfigException.class, () -> KernelLayout.of(
                new int[]{784, 8, 8, 8, 8, 8, 8, 8, 8, 10}, new Activation[]{SIG, SIG, SIG, SIG, SIG, SIG, SIG, SIG, SIG},
                XENT, 3.0, 0, 10, 351, H200_SHARED, 1024));
        assertEquals("the cuda engine takes networks of 1 to 8 layers (the config has 9)", layers.getMessage());
        UnsupportedConfigException memory = assertThrows(UnsupportedConfigException.class, () -> KernelLayout.of(
                new int[]{784, 30, 10}, new Activation[]{SIG, SIG}, XENT, 3.0, 0, 64, 351, 101_376, 1024));
        assertTrue(memory.getMessage().startsWith("the cuda engine needs "), memory.getMessage());
        assertFalse(memory.getMessage().contains("\n"));
        assertThrows(UnsupportedConfigException.class, () -> KernelLayout.of(new int[]{784, 30, 10},
                new Activation[]{SIG, SIG}, XENT, 3.0, 0, 10, 351, H200_SHARED, 32));
    }

    @Test
    void parametersRoundTripThroughTheDeviceLayout() {
        Case c = new Case("3 layers", new int[]{784, 40, 33, 10}, new Activation[]{SIG, SIG, SIG}, XENT, 1, 0, 10,
                128, 1, 1);
        KernelLayout k = layout(c, H200_SHARED);
        List<LayerParameters> a = initialParameters(c, 1);
        List<LayerParameters> b = initialParameters(c, 2);
        float[] all = k.packParameters(List.of(a, b));
        assertEquals(2 * k.paramStride(), all.length);
        assertParametersEqual(a, k.unpackParameters(all, 0), "run 0");
        assertParametersEqual(b, k.unpackParameters(all, 1), "run 1");
        // padding is zero: the sum of all values equals the sum of the real ones
        double sum = 0;
        for (float v : all) {
            sum += Math.abs(v);
        }
        double real = 0;
        for (List<LayerParameters> run : List.of(a, b)) {
            for (LayerParameters l : run) {
                for (float v : l.weights()) {
                    real += Math.abs(v);
                }
                for (float v : l.biases()) {
                    real += Math.abs(v);
                }
            }
        }
        assertEquals(real, sum, 1e-6 * real);
    }

    // ------------------------------------------------------------------ MlpKernel, the reference

    record Reference(List<LayerParameters> params, float[] losses, int correct) {
    }

    private static Reference reference(Case c, List<LayerParameters> init, int[][] batches) {
        MlpKernel kernel = KernelEngine.kernelFor(config(c));
        kernel.setParameters(init);
        float[] losses = new float[batches.length];
        for (int s = 0; s < batches.length; s++) {
            losses[s] = kernel.step(sparse, batches[s]);
        }
        return new Reference(kernel.parameters(), losses, kernel.countCorrect(sparse));
    }

    /** The seed config with the case's network, loss, updater and batch: what KernelEngine.kernelFor reads. */
    private static ExperimentConfig config(Case c) {
        ExperimentConfig base = ConfigLoader.load(Path.of("config/tf14-cross-entropy.yaml"));
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 0; l < c.activations().length; l++) {
            layers.add(new LayerSpec(c.sizes()[l + 1], c.activations()[l]));
        }
        return new ExperimentConfig(c.name(), 1L, new NetworkSpec(c.sizes()[0], layers), base.init(), c.loss(),
                new UpdaterSpec(c.learningRate(), c.l2()), new TrainingSpec(c.batch(), 1, c.steps()), base.data(),
                base.output());
    }

    // ------------------------------------------------------------------ the emulated kernels

    record Emulated(float[] params, float[] losses) {
    }

    private static KernelLayout layout(Case c, int sharedBytes) {
        return KernelLayout.of(c.sizes(), c.activations(), c.loss(), c.learningRate(), c.l2(), c.batch(),
                packed.maxNonZeros(), sharedBytes, c.threads());
    }

    private Emulated train(KernelLayout layout, List<List<LayerParameters>> inits, List<int[][]> batches,
                           int steps) throws IOException, InterruptedException {
        Path d = Files.createTempDirectory(dir, "train");
        writeCommon(d, layout, layout.packParameters(inits));
        int batch = batches.get(0)[0].length;
        int[] flat = new int[inits.size() * steps * batch];
        for (int r = 0; r < inits.size(); r++) {
            for (int s = 0; s < steps; s++) {
                System.arraycopy(batches.get(r)[s], 0, flat, (r * steps + s) * batch, batch);
            }
        }
        writeInts(d.resolve("batches.bin"), flat);
        run(d, "train", d.toString(), inits.size(), layout.trainThreads(), layout.trainSharedBytes(), packed.count(),
                steps);
        return new Emulated(readFloats(d.resolve("params_out.bin")), readFloats(d.resolve("losses.bin")));
    }

    private int[] count(KernelLayout layout, float[] params, int runs) throws IOException, InterruptedException {
        Path d = Files.createTempDirectory(dir, "eval");
        writeCommon(d, layout, params);
        run(d, "eval", d.toString(), 3, runs, layout.evalBlockThreads(), layout.evalSharedBytes(), packed.count());
        return readInts(d.resolve("correct.bin"));
    }

    private static void writeCommon(Path d, KernelLayout layout, float[] params) throws IOException {
        writeInts(d.resolve("desc.bin"), layout.descriptor());
        ByteBuffer p = ByteBuffer.allocate(4 * params.length).order(ByteOrder.LITTLE_ENDIAN);
        p.asFloatBuffer().put(params);
        Files.write(d.resolve("params.bin"), p.array());
        writeInts(d.resolve("entries.bin"), packed.entries());
        writeInts(d.resolve("offsets.bin"), packed.offsets());
        Files.write(d.resolve("labels.bin"), packed.labels());
    }

    private static void run(Path d, Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(emulator.toString());
        for (Object a : args) {
            command.add(String.valueOf(a));
        }
        Path log = d.resolve("emulator.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the emulator did not finish in 300 s: " + command);
        }
        if (p.exitValue() != 0) {
            fail("the emulator failed (exit " + p.exitValue() + "): " + command + "\n" + Files.readString(log));
        }
    }

    /** Compiles src/test/cuda/emulate.cpp (which includes mlp.cu) into target/, unless it is up to date. */
    private static Path compileEmulator() throws IOException, InterruptedException {
        Path out = Path.of("target", "cuda-emulation", "emulate");
        List<Path> sources = List.of(Path.of("src/test/cuda/emulate.cpp"), Path.of("src/test/cuda/cuda_emulation.h"),
                Path.of("src/main/cuda/mlp.cu"));
        if (Files.exists(out)) {
            FileTime built = Files.getLastModifiedTime(out);
            boolean fresh = true;
            for (Path s : sources) {
                fresh &= Files.getLastModifiedTime(s).compareTo(built) < 0;
            }
            if (fresh) {
                return out.toAbsolutePath();
            }
        }
        Files.createDirectories(out.getParent());
        List<String> command = List.of("g++", "-std=c++20", "-O2", "-pthread", "-ffp-contract=off",
                "-Wno-unknown-pragmas", "-x", "c++", "src/test/cuda/emulate.cpp", "-o", out.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("g++ (GCC 12 or later, C++20) is needed to compile the CUDA emulation of src/main/cuda/mlp.cu and"
                    + " was not found: install it (e.g. apt-get install g++) and rerun. (" + e.getMessage() + ")");
            throw e;
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            fail("compiling the CUDA emulation failed: " + String.join(" ", command) + "\n" + output);
        }
        return out.toAbsolutePath();
    }

    // ------------------------------------------------------------------ data

    private static List<LayerParameters> initialParameters(Case c, long seed) {
        Random r = new Random(seed * 7919 + c.sizes().length);
        List<LayerParameters> layers = new ArrayList<>();
        for (int l = 0; l + 1 < c.sizes().length; l++) {
            int nIn = c.sizes()[l];
            int nOut = c.sizes()[l + 1];
            float[] w = new float[nIn * nOut];
            float[] b = new float[nOut];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (r.nextGaussian() * c.initStd());
            }
            for (int k = 0; k < b.length; k++) {
                b[k] = (float) (r.nextGaussian() * c.initStd());
            }
            layers.add(new LayerParameters(nIn, nOut, w, b));
        }
        return layers;
    }

    /** Random batches; images may repeat within a batch, as TF's may where a batch straddles two passes. */
    private static int[][] batches(Case c, long seed) {
        Random r = new Random(seed * 31 + c.batch());
        int[][] out = new int[c.steps()][c.batch()];
        for (int s = 0; s < c.steps(); s++) {
            for (int e = 0; e < c.batch(); e++) {
                out[s][e] = r.nextInt(IMAGES);
            }
            if (c.batch() > 1 && s % 4 == 0) {
                out[s][c.batch() - 1] = out[s][0];       // a repeated image
            }
            if (s == 1) {
                out[s][0] = 3;                            // the blank image
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ comparisons

    private static void assertParametersEqual(List<LayerParameters> expected, List<LayerParameters> actual,
                                              String what) {
        assertEquals(expected.size(), actual.size(), what + ": layers");
        for (int l = 0; l < expected.size(); l++) {
            assertBitsEqual(expected.get(l).weights(), actual.get(l).weights(), what + ": W of layer " + l);
            assertBitsEqual(expected.get(l).biases(), actual.get(l).biases(), what + ": b of layer " + l);
        }
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int differ = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                differ++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (differ > 0) {
            fail(what + ": " + differ + " of " + expected.length + " values differ; first at " + first + ": expected "
                    + expected[first] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[first]))
                    + "), got " + actual[first] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[first]))
                    + ")");
        }
    }

    /** Bit for bit; with L2 the loss may be one ulp off (mlp.cu: its sum of squares is a parallel reduction). */
    private static void assertLossesEqual(float[] expected, float[] emulated, int run, Case c) {
        int ulps = c.l2() > 0 ? 1 : 0;
        for (int s = 0; s < expected.length; s++) {
            float got = emulated[run * expected.length + s];
            int e = Float.floatToIntBits(expected[s]);
            int g = Float.floatToIntBits(got);
            if (Math.abs((long) e - g) > ulps) {
                fail(c.name() + ", run " + run + ": loss of step " + s + " is " + got + ", MlpKernel's " + expected[s]
                        + (ulps > 0 ? " (more than " + ulps + " ulp apart)" : ""));
            }
        }
    }

    private static void assertAllFinite(List<LayerParameters> params, String what) {
        for (LayerParameters l : params) {
            for (float v : l.weights()) {
                assertTrue(Float.isFinite(v), what + ": the parameters must stay finite for the test to mean much");
            }
        }
    }

    private static void writeInts(Path file, int[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        Files.write(file, b.array());
    }

    private static float[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static int[] readInts(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }
}
