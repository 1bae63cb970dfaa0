package mnistxent.config;

import java.util.Optional;

/**
 * The schema's range rules, in one place: the loader applies them to a config file (and names the file,
 * line and key), {@link ConfigOverrides} to values given on a command line. Each returns the problem in
 * words, or nothing when the value is allowed.
 */
public final class ConfigRules {

    public static final int MAX_UNITS = 100_000;
    public static final int MAX_BATCH_SIZE = 10_000;
    public static final int MAX_EPOCHS = 100_000;

    private ConfigRules() {
    }

    public static Optional<String> units(int units) {
        return between(units, 1, MAX_UNITS);
    }

    public static Optional<String> batchSize(int batch) {
        return between(batch, 1, MAX_BATCH_SIZE);
    }

    public static Optional<String> epochs(int epochs) {
        return between(epochs, 1, MAX_EPOCHS);
    }

    public static Optional<String> stepsPerEpoch(int steps) {
        return steps < 1 ? Optional.of("must be >= 1, got " + steps) : Optional.empty();
    }

    /** At least one batch of the 60,000 training images must remain after the validation images (SPEC §1). */
    public static Optional<String> validationSize(int validation, int batchSize) {
        int max = MnistShape.TRAIN_IMAGES - batchSize;
        return validation < 0 || validation > max
                ? Optional.of("must be between 0 and " + max + " (at least one batch of the 60,000 training images "
                        + "must remain), got " + validation)
                : Optional.empty();
    }

    private static Optional<String> between(int value, int min, int max) {
        return value < min || value > max ? Optional.of("must be between " + min + " and " + max + ", got " + value)
                : Optional.empty();
    }
}
