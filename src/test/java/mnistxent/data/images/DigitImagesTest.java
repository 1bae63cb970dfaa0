package mnistxent.data.images;

import mnistxent.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

import static mnistxent.data.images.DigitImages.Polarity.BLACK_ON_WHITE;
import static mnistxent.data.images.DigitImages.Polarity.WHITE_ON_BLACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pictures to MNIST's 28x28 bytes: decoding, gray, polarity, padding, area resampling; and bad files. */
class DigitImagesTest {

    @TempDir
    Path tmp;

    private static int u(byte b) {
        return b & 0xFF;
    }

    private Path png(String name, BufferedImage image) throws Exception {
        Path f = tmp.resolve(name);
        assertTrue(ImageIO.write(image, "png", f.toFile()));
        return f;
    }

    @Test
    void aGray28x28PngKeepsItsExactValues() throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] expected = new byte[784];
        for (int i = 0; i < 784; i++) {
            expected[i] = (byte) (i * 7 % 256);
            img.getRaster().setSample(i % 28, i / 28, 0, i * 7 % 256);
        }
        // read from the raster: getRGB would have converted linear gray to sRGB (128 -> ~186)
        assertArrayEquals(expected, DigitImages.load(png("g.png", img), WHITE_ON_BLACK));
        byte[] inverted = DigitImages.load(png("g.png", img), BLACK_ON_WHITE);
        assertEquals(255 - u(expected[100]), u(inverted[100]));
    }

    @Test
    void sixteenBitGrayIsScaledTo0To255() throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(3, 0, 0, 65535);
        img.getRaster().setSample(4, 0, 0, 257 * 100);
        byte[] b = DigitImages.load(png("g16.png", img), WHITE_ON_BLACK);
        assertEquals(255, u(b[3]));
        assertEquals(100, u(b[4]));
        assertEquals(0, u(b[5]));
    }

    @Test
    void colourBecomesLumaAndTransparencyBecomesBackground() throws Exception {
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 200 << 16 | 100 << 8 | 50);
        assertEquals(124, u(DigitImages.load(png("rgb.png", rgb), WHITE_ON_BLACK)[0]), "0.299 R + 0.587 G + 0.114 B");

        BufferedImage argb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);   // transparent black
        argb.setRGB(1, 0, 0xFF000000);                                                  // opaque black ink
        byte[] ink = DigitImages.load(png("argb.png", argb), BLACK_ON_WHITE);
        assertEquals(0, u(ink[0]), "transparent = the paper, background after inversion");
        assertEquals(255, u(ink[1]), "black ink = MNIST's white digit");
        argb.setRGB(1, 0, 0xFFFFFFFF);
        byte[] light = DigitImages.load(png("argb2.png", argb), WHITE_ON_BLACK);
        assertEquals(0, u(light[0]));
        assertEquals(255, u(light[1]));
    }

    @Test
    void nonSquarePicturesArePaddedAndAveragedDown() {
        float[] white = new float[56 * 28];
        Arrays.fill(white, 255f);
        byte[] b = DigitImages.toMnist(new GrayImage(56, 28, white), WHITE_ON_BLACK);
        for (int y = 0; y < 28; y++) {
            int expected = y >= 7 && y < 21 ? 255 : 0;     // 56x28 centred in 56x56, halved
            for (int x = 0; x < 28; x++) {
                assertEquals(expected, u(b[y * 28 + x]), "(" + x + ", " + y + ")");
            }
        }
        // black on white: the padding is still MNIST background
        float[] paper = new float[28 * 14];
        Arrays.fill(paper, 255f);
        byte[] p = DigitImages.toMnist(new GrayImage(14, 28, paper), BLACK_ON_WHITE);
        for (byte v : p) {
            assertEquals(0, u(v));
        }
    }

    @Test
    void areaResamplingAveragesWholeAndPartialPixels() {
        float[] quad = new float[56 * 56];   // each 2x2 block: 0, 255, 255, 255
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                quad[y * 56 + x] = x % 2 == 0 && y % 2 == 0 ? 0f : 255f;
            }
        }
        byte[] b = DigitImages.toMnist(new GrayImage(56, 56, quad), WHITE_ON_BLACK);
        assertEquals(191, u(b[0]), "mean 191.25");
        float[] uniform = new float[30 * 30];
        Arrays.fill(uniform, 100f);
        for (byte v : DigitImages.toMnist(new GrayImage(30, 30, uniform), WHITE_ON_BLACK)) {
            assertEquals(100, u(v), "a 30 -> 28 box filter keeps a flat image flat");
        }
        float[] one = new float[30 * 30];
        one[0] = 255f;                       // covers 28/30 of output pixel 0 in each direction
        float[] small = DigitImages.resample(one, 30, 28);
        assertEquals(255f * (28f / 30) * (28f / 30), small[0], 1e-3);
        double sum = 0;
        for (float v : small) {
            sum += v;
        }
        assertEquals(255 * (28.0 / 30) * (28.0 / 30), sum, 1e-3, "area is conserved");
    }

    @Test
    void pgmInBothFormsWithCommentsAndWideSamples() throws Exception {
        Path p2 = tmp.resolve("a.pgm");
        Files.writeString(p2, "P2\n# a comment\n2 2 # size\n10\n0 5\n10 # end\n 1\n");
        GrayImage g = DigitImages.decode(p2, WHITE_ON_BLACK);
        assertEquals(2, g.width());
        assertArrayEquals(new float[]{0f, 127.5f, 255f, 25.5f}, g.values(), 1e-4f);

        byte[] header = "P5 1 3 65535\n".getBytes(StandardCharsets.US_ASCII);
        byte[] p5 = Arrays.copyOf(header, header.length + 6);
        p5[header.length] = (byte) 0xFF;
        p5[header.length + 1] = (byte) 0xFF;
        p5[header.length + 3] = 1;
        Files.write(tmp.resolve("b.pgm"), p5);
        GrayImage wide = DigitImages.decode(tmp.resolve("b.pgm"), WHITE_ON_BLACK);
        assertArrayEquals(new float[]{255f, 255f / 65535, 0f}, wide.values(), 1e-6f);
    }

    private String error(Path file) {
        return assertThrows(UserError.class, () -> DigitImages.load(file, WHITE_ON_BLACK)).getMessage();
    }

    @Test
    void badPicturesAreOneLineErrors() throws Exception {
        Path truncated = tmp.resolve("t.pgm");
        Files.write(truncated, "P5\n28 28\n255\nabc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(truncated + " is not a readable PGM image: the pixel data is truncated (3 of 784 bytes); "
                + "save it again as PGM (P2/P5), PNG or JPEG", error(truncated));
        Files.writeString(tmp.resolve("over.pgm"), "P2 1 1 10 11");
        assertTrue(error(tmp.resolve("over.pgm")).contains("pixel (0, 0) is 11, above maxval 10"));
        Files.writeString(tmp.resolve("size.pgm"), "P2 x 1 10 1");
        assertTrue(error(tmp.resolve("size.pgm")).contains("expected a number for the width, found 'x 1 10 1'"));
        Files.writeString(tmp.resolve("huge.pgm"), "P5 100000 100000 255\n");
        assertTrue(error(tmp.resolve("huge.pgm")).contains("the picture is 100000x100000 pixels; at most 8192 pixels "
                + "a side are read"), error(tmp.resolve("huge.pgm")));

        Path noise = tmp.resolve("noise.png");
        Files.write(noise, "this is not an image".getBytes(StandardCharsets.US_ASCII));
        assertEquals("cannot read " + noise + ": it is in an unknown format, not a PNG, JPEG or PGM (P2/P5) image",
                error(noise));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(noise(), "png", bytes);
        Path cut = tmp.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
        assertTrue(error(cut).startsWith("cannot decode the PNG image " + cut + " ("), error(cut));
        assertTrue(error(cut).endsWith("): the file is damaged or truncated"), error(cut));
        assertEquals("no image file " + tmp.resolve("absent.png"), error(tmp.resolve("absent.png")));
    }

    /** A 64x64 colour picture of noise: it compresses badly, so half or a third of its file lacks real data. */
    private static BufferedImage noise() {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            img.setRGB(i % 64, i / 64, i * 2654435761L > 0 ? (int) (i * 2654435761L) : i);
        }
        return img;
    }

    /** A PNG whose header says 40000x40000: a small file that would need gigabytes once decoded. */
    private static byte[] pngClaiming(int width, int height) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", bytes);
        byte[] png = bytes.toByteArray();
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.wrap(png);
        ihdr.putInt(16, width).putInt(20, height);            // IHDR's data starts at byte 16
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);                              // "IHDR" and its 13 bytes
        ihdr.putInt(29, (int) crc.getValue());
        return png;
    }

    @Test
    void aPictureTooLargeToDecodeIsRefusedFromItsHeader() throws Exception {
        Path huge = tmp.resolve("huge.png");
        Files.write(huge, pngClaiming(40_000, 40_000));
        assertEquals(huge + ": the picture is 40000x40000 pixels; at most 8192 pixels a side are read (scale it "
                + "down: it becomes 28x28 anyway)", error(huge));
        Files.write(huge, pngClaiming(8192, 2));              // the largest side allowed is read
        assertTrue(error(huge).startsWith("cannot decode the PNG image " + huge), "then its missing pixels fail");
    }

    @Test
    void aTruncatedJpegOrAFileThatIsNoPictureIsRefusedNotClassified() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(noise(), "jpg", bytes);
        Path third = tmp.resolve("third.jpg");
        Files.write(third, Arrays.copyOf(bytes.toByteArray(), bytes.size() / 3));
        assertTrue(error(third).startsWith("cannot decode the JPEG image " + third + " ("), error(third));
        assertTrue(error(third).endsWith("): the file is damaged or truncated"), error(third));

        Path idx = tmp.resolve("t10k-labels-idx1-ubyte");
        Files.write(idx, new byte[]{0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1});
        assertEquals("cannot read " + idx + ": it is an IDX file (MNIST's own format, not a picture), not a PNG, JPEG "
                + "or PGM (P2/P5) image", error(idx));
        Path idxImages = tmp.resolve("images.png");
        Files.write(idxImages, new byte[]{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28});
        assertTrue(error(idxImages).contains("it is an IDX file"), "by its content, not its name");
    }
}
