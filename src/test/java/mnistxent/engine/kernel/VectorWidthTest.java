package mnistxent.engine.kernel;

import mnistxent.config.Activation;
import mnistxent.config.LossKind;
import mnistxent.model.LayerParameters;
import mnistxent.random.SeededRandom;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's results do not depend on its SIMD width (MlpKernel's class comment says why): at 128, 256 and
 * 512 bits (each in a JVM of its own, since the width is fixed when the class loads) the same steps give
 * the same bits in every loss, parameter and count. A width the CPU lacks still runs, in Java, only slower.
 */
class VectorWidthTest {

    @Test
    void everyWidthGivesTheSameBits() throws Exception {
        List<String> outputs = new ArrayList<>();
        for (int bits : new int[]{128, 256, 512}) {
            outputs.add(run(bits));
        }
        assertTrue(outputs.get(0).startsWith("checksum "), outputs.get(0));
        assertEquals(outputs.get(0), outputs.get(1), "128 vs 256 bits");
        assertEquals(outputs.get(0), outputs.get(2), "128 vs 512 bits");
        assertEquals(probe(), outputs.get(0), "this JVM's width (" + MlpKernel.SPECIES.vectorBitSize() + " bits)");
    }

    private static String run(int bits) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dmnistxent.kernel.vectorBits=" + bits,
                "-cp", System.getProperty("java.class.path"), VectorWidthTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the " + bits + "-bit run did not end");
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** The forked JVM's side: steps of two configs (the seed's, and quadratic + tanh + L2 + odd batch). */
    public static void main(String[] args) {
        System.out.println(probe());
    }

    private static String probe() {
        long sum = 0;
        sum = checksum(sum, LossKind.SIGMOID_CROSS_ENTROPY_WITH_LOGITS, Activation.SIGMOID, 10, 0.0);
        sum = checksum(sum, LossKind.QUADRATIC, Activation.TANH, 7, 0.001);
        return "checksum " + Long.toHexString(sum);
    }

    private static long checksum(long sum, LossKind loss, Activation hidden, int batch, double l2) {
        SeededRandom r = new SeededRandom(5);
        KernelImages images = KernelBitExactnessTest.mnistLike(r);
        int[] sizes = {784, 30, 10};
        List<LayerParameters> init = KernelBitExactnessTest.gaussian(sizes, 1f, r);
        MlpKernel kernel = new MlpKernel(sizes, new Activation[]{hidden, Activation.SIGMOID}, loss, 3.0, l2, batch);
        kernel.setParameters(init);
        int steps = 300;
        int[] batches = new int[steps * batch];
        for (int k = 0; k < batches.length; k++) {
            batches[k] = r.nextInt(images.count());
        }
        float[] losses = new float[steps];
        kernel.steps(images, batches, 0, steps, losses);
        for (float l : losses) {
            sum = sum * 31 + Float.floatToRawIntBits(l);
        }
        for (LayerParameters p : kernel.parameters()) {
            for (float v : p.weights()) {
                sum = sum * 31 + Float.floatToRawIntBits(v);
            }
            for (float v : p.biases()) {
                sum = sum * 31 + Float.floatToRawIntBits(v);
            }
        }
        return sum * 31 + kernel.countCorrect(images);
    }
}
