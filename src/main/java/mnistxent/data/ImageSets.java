package mnistxent.data;

/**
 * The three sets an engine works on (SPEC §1): batch indices point into {@code train}; after each epoch
 * the engine counts correct {@code test} images (the seed's output) and {@code validation} images.
 *
 * @param train      the images the batches are drawn from, by index (MNIST: all 60,000 training images
 *                   in file order; the batcher draws from those after the validation ones)
 * @param validation the held-out images (MNIST: the first validation-size training images; may be empty)
 * @param test       the test images (MNIST: the 10,000 t10k images)
 */
public record ImageSets(LabelledImages train, LabelledImages validation, LabelledImages test) {

    public ImageSets {
        if (train.width() != validation.width() || train.width() != test.width()) {
            throw new IllegalArgumentException("image sets of different widths");
        }
    }

    /** MNIST split as SPEC §1 says. */
    public static ImageSets of(MnistData mnist, int validationSize) {
        LabelledImages train = mnist.train();
        return new ImageSets(train, train.first(validationSize), mnist.test());
    }

    /** Only training images (replaying steps, parity tests): no validation or test set. */
    public static ImageSets trainingOnly(LabelledImages train) {
        LabelledImages none = LabelledImages.none(train.width());
        return new ImageSets(train, none, none);
    }
}
