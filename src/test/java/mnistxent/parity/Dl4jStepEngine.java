package mnistxent.parity;

import mnistxent.model.LayerParameters;

import mnistxent.config.ExperimentConfig;
import mnistxent.model.NetworkFactory;
import mnistxent.model.TfParameters;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * The application's own training path under test: the network exactly as {@link NetworkFactory}
 * builds it from a config, trained by {@code MultiLayerNetwork.fit(DataSet)} one minibatch at a time.
 */
public final class Dl4jStepEngine implements StepEngine {

    private final MultiLayerNetwork network;

    public Dl4jStepEngine(ExperimentConfig config, List<LayerParameters> initial) {
        network = NetworkFactory.create(config);
        TfParameters.write(network, initial);
    }

    @Override
    public double step(float[] x, float[] y, int rows) {
        INDArray features = Nd4j.create(x, new long[]{rows, x.length / rows}, 'c');
        INDArray labels = Nd4j.create(y, new long[]{rows, y.length / rows}, 'c');
        network.fit(new DataSet(features, labels));
        // fit computes the score in the same forward pass as the gradient, before the update
        return network.score();
    }

    @Override
    public List<LayerParameters> parameters() {
        return TfParameters.read(network);
    }

    public MultiLayerNetwork network() {
        return network;
    }
}
