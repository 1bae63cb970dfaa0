package mnistxent.parity;

import mnistxent.model.LayerParameters;

import mnistxent.config.ExperimentConfig;

import java.util.List;

/**
 * Issue 2: the Deeplearning4j network that the application trains ({@code NetworkFactory.create},
 * {@code MultiLayerNetwork.fit}) against TensorFlow itself, for both costs of docs/SPEC.md §4.
 */
class TfParityTest extends AbstractTfParityTest {

    @Override
    protected StepEngine engine(ExperimentConfig config, List<LayerParameters> initial) {
        return new Dl4jStepEngine(config, initial);
    }
}
