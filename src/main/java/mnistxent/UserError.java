package mnistxent;

/**
 * A problem with what the user gave us (a config, a data file, a model zip, a path, an option),
 * as opposed to a bug. Its message is one line that names the problem and the fix; the CLI
 * prints exactly that line, with no stack trace, and exits with {@link #EXIT_CODE}.
 */
public class UserError extends RuntimeException {

    /** The process exit code for bad input. */
    public static final int EXIT_CODE = 1;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
