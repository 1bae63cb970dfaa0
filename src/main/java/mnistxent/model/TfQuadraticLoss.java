package mnistxent.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossUtil;

/**
 * The quadratic cost of the article's chapter 12, {@code reduce_mean(norm(y - a, axis=1)**2) / 2}:
 * the batch mean of {@code 0.5 * sum_j (y_j - a_j)^2} (SPEC §4).
 *
 * <p>DL4J's {@code LossL2} is {@code sum (y-a)^2} (gradient {@code 2(a-y)}) and {@code LossMSE}
 * divides that by nOut: neither has the 1/2. Each example's score here is
 * {@code 0.5 * sum_j (y_j - a_j)^2} and its gradient {@code (a - y) * sigmoid'(z)}; DL4J divides
 * both by the batch size, which gives TF's {@code (a - y) * a * (1 - a) / batch}.
 *
 * <p>Serialized into model zips by class name; stateless. Never rename or move this class.
 */
public final class TfQuadraticLoss extends TfLossFunction {

    private static final long serialVersionUID = 1L;

    public TfQuadraticLoss() {
        // stateless; the no-arg constructor is what DL4J's Jackson uses to restore it
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), false);
        INDArray diff = output.rsubi(labels.castTo(output.dataType()));
        INDArray squared = diff.muli(diff);
        if (mask != null) {
            LossUtil.applyMask(squared, mask);
        }
        return squared.sum(true, 1).muli(0.5);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), false);
        INDArray dLda = output.subi(labels.castTo(output.dataType()));
        if (mask != null) {
            LossUtil.applyMask(dLda, mask);
        }
        // backprop works in place on its first argument: give it a copy of the logits
        return activationFn.backprop(preOutput.dup(), dLda).getFirst();
    }
}
