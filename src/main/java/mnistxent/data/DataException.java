package mnistxent.data;

import mnistxent.UserError;

/**
 * The MNIST files cannot be found, fetched or used. Like every {@link UserError}, the message is
 * one line that names the file (or directory), the problem and the fix; the CLI prints it as is.
 */
public final class DataException extends UserError {

    /** The command that re-fetches the files, quoted in messages about bad files. */
    public static final String REFETCH_COMMAND = "mvn exec:java -Dexec.args=\"data fetch --force\"";

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
