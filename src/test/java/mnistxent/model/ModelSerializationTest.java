package mnistxent.model;

import mnistxent.config.LossKind;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The custom losses (and the L2 term) survive a DL4J model zip: they are stored by class name and
 * must come back as the same class, equal, and giving the same scores (SPEC §4).
 */
class ModelSerializationTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void lossAndRegularizationRoundTripThroughAModelZip(LossKind kind) throws Exception {
        MultiLayerNetwork original = NetworkFactory.create(NetworkLossReductionTest.config(kind, 3.0, 0.001));
        File zip = tmp.resolve(kind.yamlName() + ".zip").toFile();
        ModelSerializer.writeModel(original, zip, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, false);

        OutputLayer before = (OutputLayer) original.getLayer(1).conf().getLayer();
        OutputLayer after = (OutputLayer) restored.getLayer(1).conf().getLayer();
        Class<?> expected = kind == LossKind.QUADRATIC ? TfQuadraticLoss.class : TfSigmoidCrossEntropyLoss.class;
        assertInstanceOf(expected, before.getLossFn());
        assertInstanceOf(expected, after.getLossFn());
        assertEquals(before.getLossFn(), after.getLossFn());
        assertEquals(before.getLossFn().hashCode(), after.getLossFn().hashCode());

        for (int i = 0; i < 2; i++) {
            List<Regularization> reg = ((BaseLayer) restored.getLayer(i).conf().getLayer()).getRegularization();
            assertEquals(List.of(new TfL2Regularization(0.001)), reg, "layer " + i + " weight regularization");
            assertInstanceOf(TfL2Regularization.class, reg.get(0));
            assertTrue(((BaseLayer) restored.getLayer(i).conf().getLayer()).getRegularizationBias().isEmpty(),
                    "no L2 on biases (SPEC §8)");
        }
        assertEquals(original.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(original.params(), restored.params());

        DataSet data = NetworkLossReductionTest.batch(5);
        assertEquals(original.score(data), restored.score(data), 0.0, "same loss, same parameters, same score");
    }
}
