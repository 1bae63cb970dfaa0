package mnistxent.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's L2 regularisation ({@code loss + l2/2 * sum(W^2)}, gradient {@code + l2 * W}: SPEC §8), with
 * its score term summed in double precision.
 *
 * <p>{@link L2Regularization#score} squares a float32 {@code norm2}, and ND4J's float32 sum over
 * W_2's 23,520 values is off by ~1e-6 relative; when the L2 term is a large part of the loss the
 * reported loss then misses TF's (whose float32 reduction is accurate to ~1e-8) by more than the
 * parity tolerance of SPEC §4. The gradient ({@code apply}) is DL4J's, unchanged.
 *
 * <p>Serialized into model zips by class name; never rename or move this class.
 */
public final class TfL2Regularization extends L2Regularization {

    private static final long serialVersionUID = 1L;

    public TfL2Regularization(double l2) {
        super(l2);
    }

    /** What DL4J's Jackson uses to restore it (same property as {@link L2Regularization}). */
    public TfL2Regularization(@JsonProperty("l2") ISchedule l2) {
        super(l2);
    }

    @Override
    public double score(INDArray param, int iteration, int epoch) {
        INDArray p = param.castTo(DataType.DOUBLE);
        return 0.5 * l2.valueAt(iteration, epoch) * p.mul(p).sumNumber().doubleValue();
    }

    @Override
    public Regularization clone() {
        return new TfL2Regularization(l2.clone());
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof TfL2Regularization;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TfL2Regularization && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 1;
    }

    @Override
    public String toString() {
        return "TfL2Regularization(l2=" + l2 + ")";
    }
}
