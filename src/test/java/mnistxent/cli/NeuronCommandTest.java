package mnistxent.cli;

import mnistxent.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuronCommandTest {

    private String out = "";
    private String err = "";

    private int run(String... args) {
        Cli result = Cli.run(args);
        out = result.out();
        err = result.err();
        return result.code();
    }

    @Test
    void writesCsvAndPngAndPrintsTheTable(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("short.yaml");
        Files.writeString(config, Files.readString(Path.of("config/neuron.yaml")).replace("epochs: 300", "epochs: 30"));
        Path outDir = dir.resolve("a/b");

        int code = run("neuron", "--config", config.toString(), "--out", outDir.toString(), "--map-points", "21",
                "--map-max-epochs", "3000");

        assertEquals(0, code, err.toString());
        assertTrue(Files.size(outDir.resolve("neuron.csv")) > 0);
        assertTrue(Files.size(outDir.resolve("neuron.png")) > 0);
        List<String> map = Files.readAllLines(outDir.resolve("slowdown.csv"));
        assertEquals("cost,learning_rate,w,b,epochs_to_halve", map.get(0));
        assertEquals(1 + 2 * 21 * 21, map.size(), "a row per cell and cost");
        assertTrue(map.contains("quadratic,0.15,2.0000,2.0000,212"), "the article's slow start: epoch 212");
        assertTrue(map.contains("quadratic,0.15,-4.0000,-4.0000,"), "slower than 3000 epochs: empty");
        BufferedImage png = ImageIO.read(outDir.resolve("slowdown.png").toFile());
        assertTrue(png.getWidth() > 1000 && png.getHeight() > 500, "two heat maps side by side");
        String table = out.toString();
        assertEquals(5, table.lines().count(), table);
        assertTrue(table.contains("quadratic"));
        assertTrue(table.contains("sigmoid-cross-entropy-with-logits"));
        assertTrue(table.contains("never within 30 epochs"), table);
        assertTrue(table.contains("epoch 29"), "w=0.6,b=0.9 quadratic halves at epoch 29: " + table);
        assertEquals("", err.toString());
    }

    @Test
    void badConfigIsOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, Files.readString(Path.of("config/neuron.yaml")).replace("epochs: 300", "epochs: 0"));

        int code = run("neuron", "--config", config.toString(), "--out", dir.toString());

        assertEquals(UserError.EXIT_CODE, code);
        assertEquals("error: " + config + ":10:9: epochs: must be between 1 and 100000, got 0", err.toString().strip());
        assertEquals("", out.toString());
    }

    @Test
    void missingConfigIsOneLine(@TempDir Path dir) {
        int code = run("neuron", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(UserError.EXIT_CODE, code);
        assertTrue(err.toString().startsWith("error: "), err.toString());
        assertTrue(err.toString().contains("no such config file"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    @Test
    void unusableOutputDirIsOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a directory");

        int code = run("neuron", "--out", file.resolve("sub").toString());

        assertEquals(UserError.EXIT_CODE, code);
        String message = err.toString().strip();
        assertTrue(message.startsWith("error: cannot create the output directory " + file.resolve("sub")), message);
        assertTrue(message.endsWith("(choose another with --out)"), message);
        assertEquals(1, message.lines().count());
        assertFalse(Files.exists(file.resolve("sub")));
    }

    @Test
    void outputDirThatIsAFileIsOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taken");
        Files.writeString(file, "x");
        int code = run("neuron", "--out", file.toString());
        assertEquals(UserError.EXIT_CODE, code);
        assertTrue(err.toString().contains("a file of that name is in the way"), err.toString());
    }
}
