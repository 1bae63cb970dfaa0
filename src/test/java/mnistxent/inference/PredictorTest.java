package mnistxent.inference;

import mnistxent.UserError;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;
import mnistxent.model.LayerParameters;
import mnistxent.model.NetworkFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An output that is not a number names the tensor and the input, instead of a digit read from it. */
class PredictorTest {

    @Test
    void finiteParametersThatOverflowOnAnInputGiveNoDigit() throws Exception {
        ExperimentConfig relu = ConfigLoader.parse("relu.yaml", Files.readString(Path.of("config/tf14-cross-entropy.yaml"))
                .replaceFirst("activation: sigmoid", "activation: relu"));
        float[] w2 = new float[784 * 30];
        Arrays.fill(w2, 3e38f);                     // every hidden unit overflows to +Infinity on any ink
        float[] w3 = new float[30 * 10];
        for (int i = 0; i < w3.length; i++) {
            w3[i] = i / 10 % 2 == 0 ? 1f : -1f;     // then Infinity - Infinity in every output unit
        }
        var network = NetworkFactory.create(relu, List.of(new LayerParameters(784, 30, w2, new float[30]),
                new LayerParameters(30, 10, w3, new float[10])));
        byte[] ink = new byte[784];
        ink[400] = (byte) 200;
        ink[401] = (byte) 200;                      // two inked pixels: 2 x 0.78 x 3e38 is past float32's range
        UserError e = assertThrows(UserError.class,
                () -> Predictor.predict(network, List.of(new Predictor.Input("seven.png", ink, -1))));
        assertEquals("the model's output a3[0] for seven.png is NaN: its parameters overflow float32 on this input, "
                + "so it gives no digit", e.getMessage());
    }
}
