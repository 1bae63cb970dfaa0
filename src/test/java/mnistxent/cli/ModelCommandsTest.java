package mnistxent.cli;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.MnistData;
import mnistxent.data.TfBatcher;
import mnistxent.engine.EngineKind;
import mnistxent.model.NpyParameters;
import mnistxent.npy.NpyArrays;
import mnistxent.run.MetricsFile;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.train.TrainingFixtures;
import mnistxent.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static mnistxent.train.TrainingFixtures.assertBitwiseEqual;
import static mnistxent.train.TrainingFixtures.parameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evaluate, predict, export and replay on models trained for real. */
class ModelCommandsTest {

    @TempDir
    static Path runs;

    @TempDir
    Path tmp;

    private static Path kernelModel;
    private static Path dl4jModel;

    @BeforeAll
    static void train() {
        kernelModel = TrainingFixtures.fresh(TrainingFixtures.config(31, 2, 400, runs.resolve("k")),
                new TrainingRun.Options("kernel", null, false)).dir().resolve(RunDirectory.MODEL_FINAL);
        dl4jModel = TrainingFixtures.fresh(TrainingFixtures.config(32, 1, 60, runs.resolve("d")),
                new TrainingRun.Options("dl4j", null, false)).dir().resolve(RunDirectory.MODEL_FINAL);
    }

    private static int recordedCount(Path zip) throws Exception {
        List<mnistxent.run.EpochResult> history = MetricsFile.read(zip.getParent().resolve(RunDirectory.METRICS));
        int fromMetrics = history.get(history.size() - 1).testCorrect();
        assertEquals(fromMetrics, ModelFile.load(zip).recordedTestCorrect().orElseThrow());
        return fromMetrics;
    }

    @Test
    void evaluateReproducesTheCountRecordedInTraining() throws Exception {
        for (Path zip : List.of(kernelModel, dl4jModel)) {
            Cli r = Cli.run("evaluate", "--model", zip.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(recordedCount(zip) + " / 10000\n", r.out(), zip.toString());
        }
    }

    @Test
    void evaluateDetailAddsDl4jsEvaluation() throws Exception {
        Cli r = Cli.run("evaluate", "--model", dl4jModel.toString(), "--detail");
        assertEquals(0, r.code(), r.err());
        int count = recordedCount(dl4jModel);
        assertTrue(r.out().startsWith(count + " / 10000\n\nDL4J Evaluation of the test set (through DataVec): "
                + count + " / 10000 correct\ndigit  precision  recall      F1  images\n"), r.out());
        assertTrue(r.out().contains("\n    0  "), r.out());
        assertTrue(r.out().contains("     980\n"), "980 test images of digit 0: " + r.out());
        assertTrue(r.out().contains("=========================Confusion Matrix========================="), r.out());
        assertTrue(r.out().contains(" | 9 = 9"), r.out());
    }

    @Test
    void predictGivesTheSameAnswerForATestImageAndItsPictureInAnyPolarity() throws Exception {
        MnistData mnist = MnistData.load(TrainingFixtures.mnistDir());
        byte[] pixels = Arrays.copyOfRange(mnist.testPixels(), 0, 784);
        Path pgm = tmp.resolve("seven.pgm");
        byte[] header = "P5\n28 28\n255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] file = Arrays.copyOf(header, header.length + 784);
        System.arraycopy(pixels, 0, file, header.length, 784);
        Files.write(pgm, file);
        Path inverted = tmp.resolve("seven-ink.pgm");            // black on white, twice the size
        StringBuilder p2 = new StringBuilder("P2 56 56 255\n");
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                p2.append(255 - (pixels[(y / 2) * 28 + x / 2] & 0xFF)).append(' ');
            }
            p2.append('\n');
        }
        Files.writeString(inverted, p2);

        Cli direct = Cli.run("predict", "--model", kernelModel.toString(), "--index", "0", pgm.toString());
        Cli ink = Cli.run("predict", "--model", kernelModel.toString(), "--invert", inverted.toString());
        assertEquals(0, direct.code(), direct.err());
        assertEquals(0, ink.code(), ink.err());
        String[] lines = direct.out().split("\n");
        assertEquals(3, lines.length, direct.out());
        assertTrue(lines[0].matches("input +digit  outputs a3\\[0\\.\\.9]"), lines[0]);
        String[] fromFile = lines[1].trim().split(" +");
        String[] fromIndex = lines[2].trim().split(" +");
        assertEquals(pgm.toString(), fromFile[0]);
        assertEquals("test[0]", fromIndex[0]);
        assertEquals("(label", fromIndex[1]);
        assertEquals("7)", fromIndex[2], "MNIST's first test image is a 7");
        assertEquals(11, fromFile.length - 1, "the digit and ten outputs");
        assertEquals(Arrays.asList(fromFile).subList(1, 12), Arrays.asList(fromIndex).subList(3, 14));
        String[] fromInk = ink.out().split("\n")[1].trim().split(" +");
        assertEquals(Arrays.asList(fromFile).subList(1, 12), Arrays.asList(fromInk).subList(1, 12));
        float[] outputs = new float[10];
        for (int i = 0; i < 10; i++) {
            outputs[i] = Float.parseFloat(fromFile[2 + i]);
            assertTrue(outputs[i] >= 0 && outputs[i] <= 1, "a sigmoid output: " + outputs[i]);
        }
        int argmax = 0;
        for (int i = 1; i < 10; i++) {
            argmax = outputs[i] > outputs[argmax] ? i : argmax;
        }
        assertEquals(Integer.toString(argmax), fromFile[1]);
    }

    @Test
    void exportWritesTheZipsParametersUnderTheScriptsNames() throws Exception {
        Path out = tmp.resolve("npy");
        Cli r = Cli.run("export", "--model", kernelModel.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(out.resolve("W_2.npy") + "  float32 (784, 30)\n" + out.resolve("b_2.npy") + "  float32 (30,)\n"
                + out.resolve("W_3.npy") + "  float32 (30, 10)\n" + out.resolve("b_3.npy") + "  float32 (10,)\n", r.out());
        ExperimentConfig config = ModelFile.load(kernelModel).requireConfig();
        assertBitwiseEqual(parameters(kernelModel), NpyParameters.read(out, config.network()), "exported");
    }

    /**
     * train --init and replay meet: a run started from exported parameters, and a replay of that run's own
     * minibatches from the same files, compute the same steps with the same engine, so they end equal.
     */
    @Test
    void replayOfATrainingRunsBatchesEndsWhereTheRunEnded() throws Exception {
        Path init = tmp.resolve("init");
        assertEquals(0, Cli.run("export", "--model", kernelModel.toString(), "--out", init.toString()).code());
        int steps = 120;
        ExperimentConfig config = TrainingFixtures.config(77, 1, steps, tmp.resolve("runs"));
        var run = TrainingFixtures.fresh(config, new TrainingRun.Options("kernel", null, false).withInitFrom(init));

        TfBatcher batcher = TfBatcher.forTraining(config);
        int[] batches = new int[steps * 10];
        for (int k = 0; k < steps; k++) {
            System.arraycopy(batcher.next(), 0, batches, k * 10, 10);
        }
        Path b = tmp.resolve("B.npy");
        NpyArrays.writeInt32(b, batches, steps, 10);
        Path out = tmp.resolve("replayed");
        Cli r = Cli.run("replay", "--init", init.toString(), "--batches", b.toString(), "--out", out.toString(),
                "--engine", "kernel", "--data-dir", TrainingFixtures.mnistDir().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("replayed 120 steps of 10 with the kernel engine "
                + "(sigmoid-cross-entropy-with-logits, learning rate 3.0): loss "), r.out());

        assertBitwiseEqual(parameters(run.dir().resolve(RunDirectory.MODEL_FINAL)),
                NpyParameters.read(out, config.network()), "train --init vs replay");
        List<String> csv = Files.readAllLines(out.resolve("loss.csv"));
        assertEquals("step,loss", csv.get(0));
        assertEquals(steps + 1, csv.size());
        double sum = 0;
        for (int k = 0; k < steps; k++) {
            String[] f = csv.get(k + 1).split(",");
            assertEquals(Integer.toString(k), f[0]);
            float loss = Float.parseFloat(f[1]);
            assertEquals(f[1], Float.toString(loss), "full float precision");
            sum += loss;
        }
        assertEquals(MetricsFile.read(run.dir().resolve(RunDirectory.METRICS)).get(0).meanTrainLoss(), sum / steps,
                1e-9, "the run's mean loss is the mean of the replayed losses");
    }

    @Test
    void evaluateWithAnEngineOtherThanTheRecordedOneStillCounts() {
        Cli r = Cli.run("evaluate", "--model", kernelModel.toString(), "--engine", "dl4j");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("\\d{4} / 10000\n"), r.out());
        EngineKind recorded = ModelFile.load(kernelModel).recordedEngine().orElseThrow();
        assertEquals(EngineKind.KERNEL, recorded);
    }
}
