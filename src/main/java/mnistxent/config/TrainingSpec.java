package mnistxent.config;

/**
 * The loop of the seed script: {@code epochs x stepsPerEpoch} calls of
 * {@code next_batch(batchSize)} (SPEC §2: 30 x 5,000 x 10). An "epoch" is a number of steps,
 * not a pass over the data.
 */
public record TrainingSpec(int batchSize, int epochs, int stepsPerEpoch) {

    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }
}
