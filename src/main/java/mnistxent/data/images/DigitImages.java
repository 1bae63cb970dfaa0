package mnistxent.data.images;

import mnistxent.OneLine;
import mnistxent.UserError;
import mnistxent.config.MnistShape;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns a picture of a digit into what the network was trained on (SPEC §1): 28x28 = 784 gray bytes,
 * row-major, in MNIST's polarity (a white digit, 255, on a black background, 0). The bytes are then
 * scaled exactly as the training images are ({@code byte * (float) (1/255)}, {@link mnistxent.data.TfPixels}).
 *
 * <p>Steps: decode (PNG and JPEG with {@code javax.imageio}; PGM P2/P5 with {@link PgmReader}); convert to gray (gray sources keep their values; colour uses ITU-R BT.601 luma,
 * {@code 0.299 R + 0.587 G + 0.114 B}); composite transparency over the background; invert for black-on-white
 * pictures; pad to a square with background, centred, so that the digit keeps its proportions; average
 * down (or up) to 28x28 by area; round to bytes. No other MNIST preprocessing (20x20 box, centre of mass)
 * is attempted: give a picture framed like an MNIST digit for the best results.
 */
public final class DigitImages {

    /** MNIST's side length. */
    public static final int SIDE = 28;

    /** Which way round the picture's colours are. */
    public enum Polarity {
        /** MNIST's own: a light digit on a dark background. */
        WHITE_ON_BLACK,
        /** Ink on paper: a dark digit on a light background (inverted to MNIST's polarity). */
        BLACK_ON_WHITE
    }

    private DigitImages() {
    }

    /** Reads {@code file} and converts it to 784 MNIST-style bytes. */
    public static byte[] load(Path file, Polarity polarity) {
        return toMnist(decode(file, polarity), polarity);
    }

    /**
     * The longest side of a picture read: the square it is padded to is held as floats, so 8192 (256 MB)
     * is the most that fits the application's heap comfortably; a photo of a digit needs far less.
     */
    public static final int MAX_SIDE = 8192;
    /** The largest image file read (a PNG or JPEG of {@value #MAX_SIDE}^2 pixels is far smaller). */
    static final long MAX_FILE_BYTES = 64L << 20;

    /**
     * Decodes {@code file} to gray, transparent pixels becoming the background of {@code polarity}.
     * Only PNG, JPEG and PGM are read, recognised by their first bytes whatever the file's name; the size is
     * read from the header and checked before anything is decoded; a file the decoder finds damaged or
     * truncated (even where it could show part of the picture) is refused. Every failure is a one-line
     * {@link UserError}.
     */
    public static GrayImage decode(Path file, Polarity polarity) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new UserError(file + " is a directory, not an image file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new UserError("the image file " + file + " is " + size + " bytes; at most " + MAX_FILE_BYTES
                        + " are read (a picture of a digit is far smaller)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("no image file " + file);
        } catch (IOException e) {
            throw new UserError("cannot read the image file " + file + " (" + OneLine.reason(e) + ")");
        }
        if (PgmReader.looksLikePgm(bytes)) {
            return PgmReader.read(file.toString(), bytes);
        }
        String format = format(bytes);
        if (format == null) {
            throw new UserError("cannot read " + file + ": it is " + whatItIs(bytes) + ", not a PNG, JPEG or PGM "
                    + "(P2/P5) image");
        }
        BufferedImage image = read(file, bytes, format);
        return gray(image, polarity == Polarity.BLACK_ON_WHITE ? 255f : 0f);
    }

    /** "png" or "jpeg" by the file's signature; null for anything else. */
    static String format(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "png";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "jpeg";
        }
        return null;
    }

    /** What a file that is not a picture we read seems to be, for the message. */
    private static String whatItIs(byte[] b) {
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 8 && (b[3] == 1 || b[3] == 3)) {
            return "an IDX file (MNIST's own format, not a picture)";
        }
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
            return "a zip archive";
        }
        return b.length == 0 ? "empty" : "in an unknown format";
    }

    /** Decodes a PNG or JPEG: the size from the header first, then the pixels; a warning is a damaged file. */
    private static BufferedImage read(Path file, byte[] bytes, String format) {
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            requireSize(file.toString(), w, h);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw damaged(file, format, OneLine.of(warnings.get(0)));
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw damaged(file, format, OneLine.reason(e));
        } finally {
            reader.dispose();
        }
    }

    private static UserError damaged(Path file, String format, String why) {
        return new UserError("cannot decode the " + format.toUpperCase(java.util.Locale.ROOT) + " image " + file
                + " (" + why + "): the file is damaged or truncated");
    }

    /** A picture's size, checked before its pixels are decoded: at least 1x1, at most {@value #MAX_SIDE} a side. */
    static void requireSize(String file, long width, long height) {
        if (width < 1 || height < 1) {
            throw new UserError(file + ": the picture's size " + width + "x" + height + " is empty");
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new UserError(file + ": the picture is " + width + "x" + height + " pixels; at most " + MAX_SIDE
                    + " pixels a side are read (scale it down: it becomes 28x28 anyway)");
        }
    }

    /** The gray values of a decoded image, alpha composited over {@code background}. */
    static GrayImage gray(BufferedImage image, float background) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] values = new float[w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean gray = !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        // Gray sources are read from the raster: getRGB would convert them from linear gray to sRGB
        // and so change every value.
        float grayMax = gray ? (float) ((1L << cm.getComponentSize(0)) - 1) : 0f;
        float alphaMax = gray && cm.hasAlpha() ? (float) ((1L << cm.getComponentSize(1)) - 1) : 0f;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v;
                float alpha;
                if (gray) {
                    v = raster.getSample(x, y, 0) * 255f / grayMax;
                    alpha = cm.hasAlpha() ? raster.getSample(x, y, 1) / alphaMax : 1f;
                } else {
                    int argb = image.getRGB(x, y);
                    v = 0.299f * (argb >> 16 & 0xFF) + 0.587f * (argb >> 8 & 0xFF) + 0.114f * (argb & 0xFF);
                    alpha = cm.hasAlpha() ? (argb >>> 24) / 255f : 1f;
                }
                values[y * w + x] = alpha * v + (1 - alpha) * background;
            }
        }
        return new GrayImage(w, h, values);
    }

    /** Polarity, square padding, area resampling to 28x28, rounding: the 784 bytes MNIST would hold. */
    public static byte[] toMnist(GrayImage image, Polarity polarity) {
        int w = image.width();
        int h = image.height();
        int side = Math.max(w, h);
        // MNIST polarity first, so that the padding is background (0) whatever the picture's polarity.
        float[] square = new float[side * side];
        int x0 = (side - w) / 2;
        int y0 = (side - h) / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = image.at(x, y);
                square[(y0 + y) * side + x0 + x] = polarity == Polarity.BLACK_ON_WHITE ? 255f - v : v;
            }
        }
        float[] small = resample(square, side, SIDE);
        byte[] out = new byte[MnistShape.PIXELS];
        for (int i = 0; i < out.length; i++) {
            int v = Math.round(small[i]);
            out[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return out;
    }

    /**
     * Resamples a square {@code from x from} image to {@code to x to} by area: each output pixel is the mean
     * of the input over its footprint, partly covered input pixels counting by the covered fraction (a box
     * filter; enlarging it degenerates to nearest neighbour).
     */
    static float[] resample(float[] src, int from, int to) {
        float[] rows = new float[from * to];             // horizontal pass: from rows x to columns
        for (int y = 0; y < from; y++) {
            for (int x = 0; x < to; x++) {
                rows[y * to + x] = average(src, y * from, 1, from, to, x);
            }
        }
        float[] out = new float[to * to];                // vertical pass
        for (int x = 0; x < to; x++) {
            for (int y = 0; y < to; y++) {
                out[y * to + x] = average(rows, x, to, from, to, y);
            }
        }
        return out;
    }

    /** Mean of {@code line[offset + k*stride]} over output cell {@code cell} of {@code to} cells spanning n samples. */
    private static float average(float[] line, int offset, int stride, int n, int to, int cell) {
        double start = (double) cell * n / to;
        double end = (double) (cell + 1) * n / to;
        double sum = 0;
        for (int k = (int) Math.floor(start); k < end && k < n; k++) {
            double cover = Math.min(end, k + 1) - Math.max(start, k);
            if (cover > 0) {
                sum += cover * line[offset + k * stride];
            }
        }
        return (float) (sum / (end - start));
    }
}
