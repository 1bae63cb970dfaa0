package mnistxent.inference;

import mnistxent.UserError;
import mnistxent.config.MnistShape;
import mnistxent.data.TfPixels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the DL4J network forward on MNIST-style images ({@code predict}): 784 gray bytes each, scaled as the
 * training images are (SPEC §1), all in one {@code MultiLayerNetwork.output} call.
 */
public final class Predictor {

    private Predictor() {
    }

    /** One image to classify: its name, its 784 bytes, and its label if known (else -1). */
    public record Input(String name, byte[] pixels, int label) {
        public Input {
            if (pixels.length != MnistShape.PIXELS) {
                throw new IllegalArgumentException(name + ": " + pixels.length + " pixels, need " + MnistShape.PIXELS);
            }
            pixels = pixels.clone();
        }
    }

    public static List<Prediction> predict(MultiLayerNetwork network, List<Input> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        int n = inputs.size();
        float[] x = new float[n * MnistShape.PIXELS];
        for (int i = 0; i < n; i++) {
            TfPixels.scale(inputs.get(i).pixels(), 0, x, i * MnistShape.PIXELS, MnistShape.PIXELS);
        }
        INDArray features = Nd4j.create(x, new long[]{n, MnistShape.PIXELS}, 'c');
        INDArray out = network.output(features, false).castTo(DataType.FLOAT);
        List<Prediction> predictions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] a3 = out.getRow(i).dup().toFloatVector();
            for (int k = 0; k < a3.length; k++) {
                if (!Float.isFinite(a3[k])) {
                    // Finite parameters can still overflow (a relu layer is unbounded): no digit is read from that.
                    throw new UserError("the model's output a3[" + k + "] for " + inputs.get(i).name() + " is " + a3[k]
                            + ": its parameters overflow float32 on this input, so it gives no digit");
                }
            }
            predictions.add(new Prediction(inputs.get(i).name(), inputs.get(i).label(), a3));
        }
        return predictions;
    }
}
