package mnistxent;

/** A count with its noun, singular or plural as the count wants: "1 epoch", "30 epochs". */
public final class Plural {

    private Plural() {
    }

    /** {@code n} and {@code noun}, with an "s" unless {@code n} is 1 (the nouns used here take a plain "s"). */
    public static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
