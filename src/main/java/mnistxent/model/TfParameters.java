package mnistxent.model;

import mnistxent.config.NetworkSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The bridge between the seed script's variables and a DL4J network's parameters.
 *
 * <p>The script names its tensors after the layer they feed: {@code W_2 [784,30]},
 * {@code b_2 [30]}, {@code W_3 [30,10]}, {@code b_3 [10]} (layer 1 is the input). DL4J calls the
 * same arrays {@code 0_W [784,30]}, {@code 0_b [1,30]}, {@code 1_W}, {@code 1_b}. Values are
 * exchanged here as row-major float arrays, {@code W[i][j]} at {@code i * nOut + j}, which is
 * TF's (and NumPy's) layout whatever order DL4J keeps internally.
 */
public final class TfParameters {

    private TfParameters() {
    }

    /** Copies every layer's parameters out of the network. */
    public static List<LayerParameters> read(MultiLayerNetwork net) {
        List<LayerParameters> layers = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            INDArray w = net.getParam(i + "_" + DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = net.getParam(i + "_" + DefaultParamInitializer.BIAS_KEY);
            layers.add(new LayerParameters((int) w.size(0), (int) w.size(1),
                    w.dup('c').castTo(DataType.FLOAT).data().asFloat(),
                    b.dup('c').castTo(DataType.FLOAT).data().asFloat()));
        }
        return layers;
    }

    /** Writes every layer's parameters into the network (shapes must match). */
    public static void write(MultiLayerNetwork net, List<LayerParameters> layers) {
        requireLayerCount(net.getnLayers(), layers);
        for (int i = 0; i < layers.size(); i++) {
            writeLayer(net, i, layers.get(i));
        }
    }

    /**
     * Throws unless {@code layers} have the shapes of {@code network}'s layers: what {@link #write} would refuse
     * (the same words), for parameters that go to a model zip without a DL4J network ({@link Dl4jCoefficients}).
     */
    public static void requireShapes(NetworkSpec network, List<LayerParameters> layers) {
        requireLayerCount(network.layers().size(), layers);
        for (int i = 0; i < layers.size(); i++) {
            requireShape(i, network.fanIn(i), network.layers().get(i).units(), layers.get(i));
        }
    }

    /** Writes one layer's parameters into the network (shapes must match). */
    public static void writeLayer(MultiLayerNetwork net, int i, LayerParameters layer) {
        INDArray w = net.getParam(i + "_" + DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = net.getParam(i + "_" + DefaultParamInitializer.BIAS_KEY);
        requireShape(i, w.size(0), w.size(1), layer);
        w.assign(Nd4j.create(layer.weights(), new long[]{layer.nIn(), layer.nOut()}, 'c'));
        b.assign(Nd4j.create(layer.biases(), new long[]{1, layer.nOut()}, 'c'));
    }

    private static void requireLayerCount(int layersInNetwork, List<LayerParameters> layers) {
        if (layers.size() != layersInNetwork) {
            throw new IllegalArgumentException("the network has " + layersInNetwork + " layers, got " + layers.size());
        }
    }

    private static void requireShape(int i, long nIn, long nOut, LayerParameters layer) {
        if (nIn != layer.nIn() || nOut != layer.nOut()) {
            throw new IllegalArgumentException(LayerParameters.weightName(i) + " has shape [" + nIn + "," + nOut
                    + "] in the network, got [" + layer.nIn() + "," + layer.nOut() + "]");
        }
    }
}
