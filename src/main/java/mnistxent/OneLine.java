package mnistxent;

/**
 * Messages squeezed onto one line: what a {@link UserError} quotes from a library's exception (DL4J,
 * ND4J, SnakeYAML wrap the telling message deep inside, over several lines).
 */
public final class OneLine {

    /** Longest text quoted from another component's message. */
    public static final int MAX = 200;

    private OneLine() {
    }

    /** {@code text} with every run of whitespace as one space, cut to {@link #MAX} characters. */
    public static String of(String text) {
        String s = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return s.length() > MAX ? s.substring(0, MAX - 3) + "..." : s;
    }

    /** The innermost cause's message (or its class name when it has none), on one line. */
    public static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return of(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }
}
