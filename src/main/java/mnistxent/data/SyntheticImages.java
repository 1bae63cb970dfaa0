package mnistxent.data;

/**
 * Digit-sized images made up on the spot, for what must run before (or without) MNIST: the kernel's JIT
 * warm-up and the build's class-archive run (README, Performance, "Start-up"). They train nothing real.
 *
 * <p>Like MNIST's, 14-33% of an image's pixels are lit and the count differs from image to image: code
 * that only runs when two images of a pair have different counts then runs here too, so that the JIT
 * does not compile it as never taken (and start over once real images arrive).
 */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    /** {@code count} images of {@code width} pixels, labelled 0-9 in turn. */
    public static LabelledImages of(int count, int width) {
        byte[] pixels = new byte[count * width];
        byte[] labels = new byte[count];
        for (int n = 0; n < count; n++) {
            labels[n] = (byte) (n % 10);
            int every = 3 + n % 5;
            for (int p = (n * 7) % every; p < width; p += every) {
                pixels[n * width + p] = (byte) (1 + (n + p) % 255);
            }
        }
        return LabelledImages.of(pixels, labels, width);
    }
}
