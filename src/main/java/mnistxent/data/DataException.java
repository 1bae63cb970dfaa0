package mnistxent.data;

import mnistxent.UserError;

/**
 * The MNIST files cannot be found, fetched or used. The message is one line that names the file (or
 * directory) and the problem; {@link #remedy()} says what repairs it, and the CLI words that as the command
 * to run (the data layer names no commands).
 */
public final class DataException extends UserError {

    /** What repairs the problem. */
    public enum Remedy {
        /** Nothing the application can do (a directory that cannot be created, a file of another set, ...). */
        NONE,
        /** Fetch the missing files. */
        FETCH,
        /** Fetch the files again, replacing a damaged one. */
        REFETCH
    }

    private final Remedy remedy;

    public DataException(String message) {
        this(message, Remedy.NONE);
    }

    public DataException(String message, Remedy remedy) {
        super(message);
        this.remedy = remedy;
    }

    public DataException(String message, Remedy remedy, Throwable cause) {
        super(message, cause);
        this.remedy = remedy;
    }

    public Remedy remedy() {
        return remedy;
    }
}
