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

    /**
     * Why {@code e} happened, on one line, for a message that already names the file: NIO's messages are
     * often just the path (so the reason is said instead), and many exceptions have no message at all (then
     * their kind is said, never "null").
     */
    public static String reason(Throwable e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "a directory that is not empty is in the way";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return of(f.getReason());
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            return e instanceof java.io.EOFException ? "unexpected end of data" : e.getClass().getSimpleName();
        }
        return of(e.getMessage());
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
