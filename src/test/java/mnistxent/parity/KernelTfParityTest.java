package mnistxent.parity;

import mnistxent.config.ExperimentConfig;
import mnistxent.data.ImageSets;
import mnistxent.engine.EngineKind;
import mnistxent.engine.Engines;
import mnistxent.engine.TrainingEngine;
import mnistxent.model.LayerParameters;

import java.util.List;

/** The fast kernel engine trains exactly like TensorFlow too (every engine passes the parity tests). */
class KernelTfParityTest extends AbstractTfParityTest {

    @Override
    protected TrainingEngine engine(ExperimentConfig config, ImageSets images, List<LayerParameters> initial) {
        return Engines.create(EngineKind.KERNEL, config, images, initial);
    }
}
