package mnistxent.tfref;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * One scenario directory of the file protocol (README.md here): what to train, from where, on what.
 * Every array is a headerless file of little-endian values in row-major order; its shape is fixed
 * by the protocol and checked against the file's size, so a truncated or mis-shaped file is an
 * error rather than silently wrong numbers.
 */
final class Scenario {

    static final int INPUTS = SeedGraph.INPUTS;
    static final String CROSS_ENTROPY = SeedGraph.CROSS_ENTROPY;
    static final String QUADRATIC = SeedGraph.QUADRATIC;

    final Path dir;
    final String loss;
    final float learningRate;
    final float l2;
    final int batchSize;
    final int steps;
    final Set<Integer> snapshots;
    final int examples;
    final int hidden;
    final int outputs;
    final float[] x;        // [examples, 784]
    final float[] y;        // [examples, outputs]
    final int[] batches;    // [steps, batchSize]
    final float[] w2;       // [784, hidden]
    final float[] b2;       // [hidden]
    final float[] w3;       // [hidden, outputs]
    final float[] b3;       // [outputs]

    private Scenario(Path dir) throws IOException {
        this.dir = dir;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("scenario.properties"))) {
            p.load(r);
        }
        loss = required(p, "loss");
        if (!loss.equals(CROSS_ENTROPY) && !loss.equals(QUADRATIC)) {
            throw new IllegalArgumentException("loss must be " + CROSS_ENTROPY + " or " + QUADRATIC + ", got " + loss);
        }
        learningRate = Float.parseFloat(required(p, "learning_rate"));
        l2 = Float.parseFloat(p.getProperty("l2", "0").trim());
        batchSize = Integer.parseInt(required(p, "batch_size"));
        steps = Integer.parseInt(required(p, "steps"));
        if (batchSize < 1 || steps < 1) {
            throw new IllegalArgumentException("batch_size and steps must be positive");
        }
        snapshots = new TreeSet<>();
        String list = p.getProperty("snapshots", "").trim();
        if (!list.isEmpty()) {
            for (String s : list.split(",")) {
                int k = Integer.parseInt(s.trim());
                if (k < 0 || k > steps) {
                    throw new IllegalArgumentException("snapshot " + k + " is outside 0.." + steps);
                }
                snapshots.add(k);
            }
        }

        b2 = readFloats("b_2.f32");
        b3 = readFloats("b_3.f32");
        hidden = b2.length;
        outputs = b3.length;
        w2 = readFloats("W_2.f32");
        w3 = readFloats("W_3.f32");
        requireLength("W_2.f32", w2.length, (long) INPUTS * hidden);
        requireLength("W_3.f32", w3.length, (long) hidden * outputs);
        x = readFloats("x.f32");
        if (x.length == 0 || x.length % INPUTS != 0) {
            throw new IllegalArgumentException("x.f32 must hold [N," + INPUTS + "] floats, got " + x.length);
        }
        examples = x.length / INPUTS;
        y = readFloats("y.f32");
        requireLength("y.f32", y.length, (long) examples * outputs);
        batches = readInts("batches.i32");
        requireLength("batches.i32", batches.length, (long) steps * batchSize);
        for (int index : batches) {
            if (index < 0 || index >= examples) {
                throw new IllegalArgumentException("batches.i32 holds index " + index + ", outside 0.." + (examples - 1));
            }
        }
    }

    static Scenario read(Path dir) throws IOException {
        return new Scenario(dir);
    }

    /** Rows {@code batches[step]} of a row-major [N, width] array, as a row-major [batchSize, width] array. */
    float[] rows(float[] data, int width, int step) {
        float[] out = new float[batchSize * width];
        for (int r = 0; r < batchSize; r++) {
            System.arraycopy(data, batches[step * batchSize + r] * width, out, r * width, width);
        }
        return out;
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("scenario.properties lacks '" + key + "'");
        }
        return v.trim();
    }

    private static void requireLength(String file, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(file + " holds " + actual + " values, the protocol needs " + expected);
        }
    }

    private float[] readFloats(String name) throws IOException {
        ByteBuffer bytes = readWhole(name, Float.BYTES);
        float[] out = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private int[] readInts(String name) throws IOException {
        ByteBuffer bytes = readWhole(name, Integer.BYTES);
        int[] out = new int[bytes.remaining() / Integer.BYTES];
        bytes.asIntBuffer().get(out);
        return out;
    }

    private ByteBuffer readWhole(String name, int width) throws IOException {
        byte[] raw = Files.readAllBytes(dir.resolve(name));
        if (raw.length % width != 0) {
            throw new IllegalArgumentException(name + " is " + raw.length + " bytes, not a whole number of "
                    + width + "-byte values");
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes a float array as raw little-endian float32, creating parent directories. */
    static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.array());
    }

    @Override
    public String toString() {
        return "scenario " + dir + ": loss=" + loss + " lr=" + learningRate + " l2=" + l2 + " batch=" + batchSize
                + " steps=" + steps + " snapshots=" + snapshots + " N=" + examples + " net=" + INPUTS + "-" + hidden
                + "-" + outputs;
    }
}
