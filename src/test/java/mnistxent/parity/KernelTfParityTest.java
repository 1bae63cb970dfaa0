package mnistxent.parity;

import mnistxent.model.LayerParameters;

import mnistxent.config.ExperimentConfig;

import java.util.List;

/** The fast kernel engine must train exactly like TensorFlow too (issue 7: "parity tests pass for every engine"). */
class KernelTfParityTest extends AbstractTfParityTest {

    @Override
    protected StepEngine engine(ExperimentConfig config, List<LayerParameters> initial) {
        return new KernelStepEngine(config, initial);
    }
}
