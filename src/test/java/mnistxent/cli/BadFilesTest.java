package mnistxent.cli;

import mnistxent.model.NetworkFactory;
import mnistxent.model.NpyParameters;
import mnistxent.npy.NpyArrays;
import mnistxent.npy.NpyTestFiles;
import mnistxent.run.ModelFile;
import mnistxent.run.RunDirectory;
import mnistxent.train.TrainingFixtures;
import mnistxent.train.TrainingRun;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad file is one clear line. Through the CLI as a user runs it: exit code 1, stderr exactly
 * {@code error: <the problem and the fix>} on one line, no stack trace.
 */
class BadFilesTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path model;
    private static Path init;

    @BeforeAll
    static void train() {
        model = TrainingFixtures.fresh(TrainingFixtures.config(41, 1, 30, shared.resolve("runs")),
                new TrainingRun.Options("kernel", null, false)).dir().resolve(RunDirectory.MODEL_FINAL);
        init = shared.resolve("init");
        NpyParameters.write(init, TrainingFixtures.parameters(model));
    }

    /** Runs the CLI, requires exit 1 and one "error: " line containing {@code expected}; returns the line. */
    private static String fails(String expected, String... args) {
        Cli r = Cli.run(args);
        assertEquals(1, r.code(), "exit code of " + String.join(" ", args) + "; stderr: " + r.err());
        String err = r.err();
        assertTrue(err.startsWith("error: ") && err.endsWith("\n") && err.indexOf('\n') == err.length() - 1,
                "one line: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        return err.strip();
    }

    private Path copyWith(Path zip, String entry, UnaryOperator<byte[]> change, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(zip); ZipInputStream zin = new ZipInputStream(in);
             OutputStream out = Files.newOutputStream(target); ZipOutputStream zout = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                byte[] bytes = zin.readAllBytes();
                zout.putNextEntry(new ZipEntry(e.getName()));
                zout.write(e.getName().equals(entry) ? change.apply(bytes) : bytes);
                zout.closeEntry();
            }
        }
        return target;
    }

    // ------------------------------------------------------------------ model zips

    @Test
    void aMissingModel() {
        Path missing = tmp.resolve("missing.zip");
        assertEquals("error: no model file at " + missing + "; train writes them as runs/<run>/model-best.zip, "
                + "model-final.zip and checkpoint.zip", fails("no model file", "evaluate", "--model", missing.toString()));
        fails("is a directory; give the model zip inside it", "predict", "--model", tmp.toString(), "--index", "0");
    }

    @Test
    void aFileThatIsNotAZip() throws Exception {
        Path text = Files.writeString(tmp.resolve("model.zip"), "just some text\n");
        fails(text + " is not a readable zip file (", "evaluate", "--model", text.toString());
        fails("truncated or not a model; give a model zip written by train", "export", "--model", text.toString(),
                "--out", tmp.resolve("o").toString());
    }

    @Test
    void aTruncatedZip() throws Exception {
        byte[] whole = Files.readAllBytes(model);
        Path cut = tmp.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        fails(cut + " is not a readable zip file", "evaluate", "--model", cut.toString());
        fails(cut + " is not a readable zip file", "train", "--resume", cut.toString());
    }

    @Test
    void aZipWithDamagedParameters() throws Exception {
        Path damaged = copyWith(model, ModelSerializer.COEFFICIENTS_BIN, b -> Arrays.copyOf(b, 40),
                tmp.resolve("damaged.zip"));
        fails("cannot restore the DL4J model in " + damaged, "evaluate", "--model", damaged.toString());
    }

    @Test
    void aZipThatIsNotAModel() throws Exception {
        Path other = tmp.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(other))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        fails("is a zip but not a DL4J model", "evaluate", "--model", other.toString());
    }

    @Test
    void aZipWhoseShapesDoNotMatchItsStoredConfig() throws Exception {
        Path edited = copyWith(model, ModelFile.CONFIG_ENTRY, b -> new String(b, StandardCharsets.UTF_8)
                .replace("units: 30", "units: 40").getBytes(StandardCharsets.UTF_8), tmp.resolve("edited.zip"));
        assertEquals("error: " + edited + " with its stored config: W_2 of the model has shape [784,30] but the config "
                        + "says [784,40]; the zip is inconsistent (damaged or edited): retrain or use another zip",
                fails("with its stored config", "evaluate", "--model", edited.toString()));
    }

    @Test
    void aZipWhoseShapesDoNotMatchTheConfigGiven() throws Exception {
        Path wider = Files.writeString(tmp.resolve("wider.yaml"), Files.readString(TrainingFixtures.SEED_CONFIG)
                .replace("units: 30", "units: 40"));
        assertEquals("error: " + model + " with the config " + wider + ": W_2 of the model has shape [784,30] but the "
                        + "config says [784,40]; give the config this model was trained with, or leave --config out "
                        + "to use the zip's own",
                fails("[784,40]", "evaluate", "--model", model.toString(), "--config", wider.toString()));
        fails("[784,40]", "export", "--model", model.toString(), "--config", wider.toString(), "--out",
                tmp.resolve("o").toString());
        fails("[784,40]", "predict", "--model", model.toString(), "--config", wider.toString(), "--index", "1");
    }

    @Test
    void aPlainDl4jZipNeedsItsConfig() throws Exception {
        Path plain = tmp.resolve("plain.zip");
        ModelSerializer.writeModel(NetworkFactory.create(TrainingFixtures.config(1, 1, 1, tmp)), plain.toFile(), false);
        fails("a plain DL4J model, not saved by mnist-xent's train command); give the config it was trained with: "
                + "--config FILE", "evaluate", "--model", plain.toString());
        fails("only the zips written by train (checkpoint.zip, model-*.zip) can be resumed", "train", "--resume",
                plain.toString());
    }

    @Test
    void resumeOptionsThatWouldChangeTheSavedRun() {
        fails("--resume continues a saved run with its own config, seed and parameters; drop --config/--seed/"
                + "--steps-per-epoch/--output-dir/--init", "train", "--resume", model.toString(), "--seed", "3");
        fails("drop --config", "train", "--resume", model.toString(), "--config", "config/tf14-cross-entropy.yaml");
        fails("holds a finished run (1 of 1 epochs); to train it further give the new total: --epochs 2 or more",
                "train", "--resume", model.toString());
    }

    // ------------------------------------------------------------------ NumPy files

    private Path initWith(String name, NpyWriter writer) throws Exception {
        Path dir = tmp.resolve("init-" + name.replace('.', '-'));
        NpyParameters.write(dir, TrainingFixtures.parameters(model));
        writer.write(dir.resolve(name));
        return dir;
    }

    @FunctionalInterface
    private interface NpyWriter {
        void write(Path file) throws Exception;
    }

    @Test
    void missingOrWronglyShapedOrTypedParameterFiles() throws Exception {
        Path runs = tmp.resolve("runs");
        String[] train = {"train", "--seed", "1", "--epochs", "1", "--steps-per-epoch", "1", "--output-dir",
                runs.toString(), "--data-dir", TrainingFixtures.mnistDir().toString(), "--init"};
        fails("no directory " + tmp.resolve("nope") + "; it must hold W_2.npy, b_2.npy, W_3.npy, b_3.npy",
                concat(train, tmp.resolve("nope").toString()));
        Path lacking = initWith("W_3.npy", Files::delete);
        fails(lacking + " lacks W_3.npy", concat(train, lacking.toString()));
        Path transposed = initWith("W_2.npy", f -> NpyArrays.writeFloat32(f, new float[784 * 30], 30, 784));
        fails("W_2.npy has shape (30, 784) but W_2 of the 784-30-10 network must have shape (784, 30)",
                concat(train, transposed.toString()));
        Path float64 = initWith("b_3.npy", f -> NpyTestFiles.write(f, NpyTestFiles.dict("<f8", "(10,)"), new byte[80]));
        fails("b_3.npy holds float64 ('<f8') but b_3 of the 784-30-10 network must be float32",
                concat(train, float64.toString()));
        Path bigEndian = initWith("b_2.npy", f -> NpyTestFiles.write(f, NpyTestFiles.dict(">f4", "(30,)"),
                NpyTestFiles.floats(ByteOrder.BIG_ENDIAN, new float[30])));
        fails("b_2.npy holds big-endian data ('>f4')", "replay", "--init", bigEndian.toString(), "--batches",
                batches(new int[]{1}, 1, 1).toString(), "--out", tmp.resolve("o").toString());
        Path truncated = initWith("W_2.npy", f -> {
            NpyArrays.writeFloat32(f, new float[784 * 30], 784, 30);
            byte[] b = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(b, b.length - 100));
        });
        fails("W_2.npy has 94108 bytes but its header announces (784, 30) <f4 = 94208 bytes: the file is truncated",
                concat(train, truncated.toString()));
        assertFalse(Files.exists(runs), "a bad --init is found before a run directory is made");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Path batches(int[] values, long... shape) {
        Path b = tmp.resolve("B-" + System.nanoTime() + ".npy");
        NpyArrays.writeInt32(b, values, shape);
        return b;
    }

    private String[] replay(Path batchFile) {
        return new String[]{"replay", "--init", init.toString(), "--batches", batchFile.toString(), "--out",
                tmp.resolve("out").toString()};
    }

    @Test
    void badBatchFiles() throws Exception {
        int[] rows = new int[20];
        rows[13] = 60_000;
        fails("B-", replay(batches(rows, 2, 10)));
        assertTrue(fails("row 1, column 3 holds 60000, outside 0..59999 (indices are into the 60000 MNIST training "
                + "images in file order, before any split)", replay(batches(rows, 2, 10))).length() > 0);
        rows[13] = -1;
        fails("row 1, column 3 holds -1, outside 0..59999", replay(batches(rows, 2, 10)));
        fails("has batches of 5 (shape (4, 5)) but the config's training.batch-size is 10; give a config with "
                + "batch-size 5 or batches of 10", replay(batches(new int[20], 4, 5)));
        fails("has shape (20,) but the batch indices [K, batch] must have 2 dimensions", replay(batches(new int[20], 20)));
        Path floats = NpyTestFiles.write(tmp.resolve("f.npy"), NpyTestFiles.dict("<f4", "(1, 10)"), new byte[40]);
        fails("holds float32 ('<f4') but the batch indices [K, batch] must be int32", replay(floats));
        fails("no file " + tmp.resolve("absent.npy"), replay(tmp.resolve("absent.npy")));
        Path text = Files.writeString(tmp.resolve("text.npy"), "1,2,3\n");
        fails("is not a NumPy .npy file", replay(text));
        fails("is the --init directory: the replayed parameters would replace the initial ones", "replay", "--init",
                init.toString(), "--batches", batches(new int[10], 1, 10).toString(), "--out", init + "/.");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing is written when an input is bad");
    }

    // ------------------------------------------------------------------ images

    @Test
    void imagesThatCannotBeDecodedOrFound() throws Exception {
        Path noise = Files.write(tmp.resolve("digit.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        fails("digit.png", "predict", "--model", model.toString(), noise.toString());
        Path pgm = Files.write(tmp.resolve("digit.pgm"), "P5 28 28 255\n".getBytes(StandardCharsets.US_ASCII));
        fails(pgm + " is not a readable PGM image: the pixel data is truncated (0 of 784 bytes)", "predict", "--model",
                model.toString(), pgm.toString());
        fails("no image file " + tmp.resolve("nope.png"), "predict", "--model", model.toString(),
                tmp.resolve("nope.png").toString());
        fails("--index 10000 is outside the test set; give 0..9999", "predict", "--model", model.toString(),
                "--index", "10000");
    }

    @Test
    void predictWithoutInputsIsAUsageError() {
        Cli r = Cli.run("predict", "--model", model.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("give image FILEs or --index N"), r.err());
    }

    @Test
    void exportToAPathThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        fails("cannot create the directory " + file, "export", "--model", model.toString(), "--out", file.toString());
    }
}
