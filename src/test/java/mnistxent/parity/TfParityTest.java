package mnistxent.parity;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * The Deeplearning4j network that the application trains ({@code NetworkFactory.create},
 * {@code MultiLayerNetwork.fit}, the dl4j engine) against TensorFlow itself, for both costs of docs/SPEC.md §4.
 */
class TfParityTest extends AbstractTfParityTest {

    @Override
    protected TrainingEngine engine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        return Engines.create(EngineKind.DL4J, config, images, initial);
    }
}
