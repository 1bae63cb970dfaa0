package mnistxent.config;

/**
 * A normal distribution for initial parameters: {@code N(mean, std)}, and when
 * {@code divideBySqrtFanIn} the drawn value is divided by {@code sqrt(fan_in)}
 * (SPEC §8: {@code W ~ N(0,1)/sqrt(n_in)}).
 */
public record DistributionSpec(double mean, double std, boolean divideBySqrtFanIn) {

    /** TF's {@code tf.random_normal}: N(0, 1). */
    public static final DistributionSpec STANDARD_NORMAL = new DistributionSpec(0.0, 1.0, false);

    /** The standard deviation for a tensor whose rows have {@code fanIn} inputs. */
    public double effectiveStd(int fanIn) {
        return divideBySqrtFanIn ? std / Math.sqrt(fanIn) : std;
    }

    /** The mean for a tensor whose rows have {@code fanIn} inputs (the whole draw is divided). */
    public double effectiveMean(int fanIn) {
        return divideBySqrtFanIn ? mean / Math.sqrt(fanIn) : mean;
    }
}
