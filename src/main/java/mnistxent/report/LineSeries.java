package mnistxent.report;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One named line of a {@link Panel}: points {@code (x[i], y[i])}, optionally with a shaded
 * min-max {@link Band} around it. Immutable: the arrays are copied in and out.
 *
 * @param colour palette index ({@link Charts#colour}) or {@code null} for the series' position in
 *               its panel; fixing it keeps one experiment the same colour across panels that show
 *               different subsets of experiments
 * @param dashed drawn dashed instead of solid (a second visual channel, e.g. the cost)
 * @param thin   drawn thin and translucent, without a legend entry: one of many individual curves
 *               (e.g. the stalled runs) over a summary line of the same colour
 */
public record LineSeries(String name, double[] x, double[] y, Band band, Integer colour, boolean dashed,
                         boolean thin) {

    /** A solid line coloured by its position in the panel. */
    public LineSeries(String name, double[] x, double[] y, Band band) {
        this(name, x, y, band, null, false, false);
    }

    public LineSeries(String name, double[] x, double[] y, Band band, Integer colour, boolean dashed) {
        this(name, x, y, band, colour, dashed, false);
    }

    public LineSeries {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a series needs a name (it is its legend entry)");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x and y differ in length: "
                    + x.length + " vs " + y.length);
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' has no points");
        }
        if (band != null && band.size() != x.length) {
            throw new IllegalArgumentException("series '" + name + "': band has " + band.size()
                    + " points, the line " + x.length);
        }
        if (colour != null && colour < 0) {
            throw new IllegalArgumentException("series '" + name + "': colour index must be >= 0, got " + colour);
        }
        x = x.clone();
        y = y.clone();
    }

    /** A plain line. */
    public static LineSeries of(String name, double[] x, double[] y) {
        return new LineSeries(name, x, y, null);
    }

    /** The same line with a min-max band. */
    public LineSeries withBand(double[] lower, double[] upper) {
        return new LineSeries(name, x, y, new Band(lower, upper), colour, dashed, thin);
    }

    /** The same line in palette colour {@code index}, wherever it sits in its panel. */
    public LineSeries withColour(int index) {
        return new LineSeries(name, x, y, band, index, dashed, thin);
    }

    /** The same line, dashed. */
    public LineSeries asDashed() {
        return new LineSeries(name, x, y, band, colour, true, thin);
    }

    /** The same line, thin and translucent, without a legend entry. */
    public LineSeries asThin() {
        return new LineSeries(name, x, y, band, colour, dashed, true);
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    public Optional<Band> optionalBand() {
        return Optional.ofNullable(band);
    }

    public int size() {
        return x.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LineSeries s && name.equals(s.name) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y)
                && Objects.equals(band, s.band) && Objects.equals(colour, s.colour) && dashed == s.dashed
                && thin == s.thin;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(x), Arrays.hashCode(y), band, colour, dashed, thin);
    }

    @Override
    public String toString() {
        return "LineSeries[" + name + ", " + x.length + " points" + (band != null ? ", band" : "")
                + (colour != null ? ", colour " + colour : "") + (dashed ? ", dashed" : "") + (thin ? ", thin" : "")
                + "]";
    }
}
