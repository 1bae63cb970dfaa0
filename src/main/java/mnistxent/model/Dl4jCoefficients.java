package mnistxent.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A DL4J model zip's {@code coefficients.bin}, from parameters in plain arrays, without ND4J: the bytes
 * {@code ModelSerializer} writes for a network of this project holding them ({@code Nd4j.write} of the
 * network's parameter vector). The kernel and CUDA engines write their zips so, and never start ND4J
 * (README, Performance, "Start-up"); {@code Dl4jCoefficientsTest} holds these bytes equal to ND4J's.
 *
 * <p>The vector is DL4J's {@code MultiLayerNetwork.params()}: layer after layer, the weights in column order
 * (DL4J's dense layers view their {@code [nIn, nOut]} weights in Fortran order), then the biases. ND4J writes
 * an array as two data buffers, each an allocation mode, a length, a type and the values (big-endian, as
 * {@link DataOutputStream} writes them): first the shape information (rank 1: rank, length, stride 1, the
 * options word that says float32, element stride 1, order 'c'), then the floats.
 */
public final class Dl4jCoefficients {

    private static final String ALLOCATION_MODE = "MIXED_DATA_TYPES";
    /** ND4J's array options for a plain float32 array (its {@code ArrayOptionsHelper}'s float flag). */
    private static final long FLOAT_OPTIONS = 8192;
    private static final long ORDER_C = 'c';

    private Dl4jCoefficients() {
    }

    /** The bytes of {@code coefficients.bin} for a network holding {@code layers}. */
    public static byte[] of(List<LayerParameters> layers) {
        int length = 0;
        for (LayerParameters layer : layers) {
            length += layer.weights().length + layer.biases().length;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(length * Float.BYTES + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            long[] shapeInfo = {1, length, 1, FLOAT_OPTIONS, 1, ORDER_C};
            out.writeUTF(ALLOCATION_MODE);
            out.writeLong(shapeInfo.length);
            out.writeUTF("LONG");
            for (long v : shapeInfo) {
                out.writeLong(v);
            }
            out.writeUTF(ALLOCATION_MODE);
            out.writeLong(length);
            out.writeUTF("FLOAT");
            // DL4J's parameter vector: per layer, W column by column (W[i][j] at j * nIn + i), then b
            for (LayerParameters layer : layers) {
                float[] w = layer.weights();
                for (int j = 0; j < layer.nOut(); j++) {
                    for (int i = 0; i < layer.nIn(); i++) {
                        out.writeFloat(w[i * layer.nOut() + j]);
                    }
                }
                for (float b : layer.biases()) {
                    out.writeFloat(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);      // a byte array does not fail
        }
        return bytes.toByteArray();
    }
}
