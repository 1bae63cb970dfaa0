package mnistxent.config;

/**
 * The shape of MNIST (SPEC §1), the one place it is written down: the config schema checks a network
 * and a split against it, the data layer reads files of it.
 */
public final class MnistShape {

    /** Rows and columns of an image. */
    public static final int ROWS = 28;
    public static final int COLS = 28;
    /** Pixels per image, the network's inputs. */
    public static final int PIXELS = ROWS * COLS;
    /** Digits 0-9, the network's outputs. */
    public static final int CLASSES = 10;
    /** Images in the training file (validation included, SPEC §1) and in the test file. */
    public static final int TRAIN_IMAGES = 60_000;
    public static final int TEST_IMAGES = 10_000;

    private MnistShape() {
    }
}
