package mnistxent.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * TensorFlow's {@code reduce_mean(sigmoid_cross_entropy_with_logits(labels=y, logits=z))}
 * as a DL4J loss (SPEC §4, the seed script's cost).
 *
 * <p>Two differences from DL4J's {@code LossBinaryXENT} make this class necessary:
 * <ul>
 *   <li>the element-wise term is TF's stable form computed from the logits,
 *       {@code max(z,0) - z*y + log(1 + exp(-|z|))}, never from a clipped activation, so the value
 *       is exact and finite for any |z| and the gradient is exactly {@code sigmoid(z) - y} (it does
 *       not vanish when the output saturates);</li>
 *   <li>{@code reduce_mean} averages over the outputs as well as the batch. DL4J divides the score
 *       and the gradient by the batch size itself ({@code BaseOutputLayer.computeScore} and
 *       {@code BaseMultiLayerUpdater.divideByMinibatch}), so here each example's score is the mean
 *       over its outputs and its gradient is {@code (sigmoid(z) - y) / nOut}; after DL4J's division
 *       that is TF's {@code (sigmoid(z) - y) / (batch * nOut)}.</li>
 * </ul>
 *
 * <p>Serialized into model zips by class name ({@code @class}); stateless, so all instances are
 * equal. Never rename or move this class: saved models refer to it by name.
 */
public final class TfSigmoidCrossEntropyLoss extends TfLossFunction {

    private static final long serialVersionUID = 1L;

    public TfSigmoidCrossEntropyLoss() {
        // stateless; the no-arg constructor is what DL4J's Jackson uses to restore it
    }

    /** Per-element {@code max(z,0) - z*y + log1p(exp(-|z|))}, shape of {@code logits}. */
    static INDArray elementwise(INDArray labels, INDArray logits) {
        INDArray softplusOfMinusAbs = Transforms.log1p(Transforms.exp(Transforms.abs(logits, true).negi(), false),
                false);
        return Transforms.relu(logits, true).subi(logits.mul(labels)).addi(softplusOfMinusAbs);
    }

    private static void requireSigmoid(IActivation activationFn) {
        if (!(activationFn instanceof ActivationSigmoid)) {
            throw new IllegalStateException("sigmoid-cross-entropy-with-logits needs a sigmoid output layer, got "
                    + activationFn);
        }
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSigmoid(activationFn);
        INDArray logits = preOutput;
        INDArray y = labels.castTo(logits.dataType());
        INDArray perElement = elementwise(y, logits);
        if (mask != null) {
            LossUtil.applyMask(perElement, mask);
        }
        return perElement.sum(true, 1).divi(logits.size(1));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSigmoid(activationFn);
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray gradient = Transforms.sigmoid(preOutput, true).subi(y).divi(preOutput.size(1));
        if (mask != null) {
            LossUtil.applyMask(gradient, mask);
        }
        return gradient;
    }
}
