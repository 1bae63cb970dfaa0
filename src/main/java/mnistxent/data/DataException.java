package mnistxent.data;

import mnistxent.UserError;

import java.nio.file.Path;

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
        REFETCH,
        /** Keep MNIST in another directory: this one cannot be created, read or written. */
        OTHER_DIRECTORY
    }

    private final Remedy remedy;
    private final Path directory;

    public DataException(String message) {
        this(message, Remedy.NONE, null, null);
    }

    /** A problem that {@code remedy} repairs in the data directory {@code directory}. */
    public DataException(String message, Remedy remedy, Path directory) {
        this(message, remedy, directory, null);
    }

    public DataException(String message, Remedy remedy, Path directory, Throwable cause) {
        super(message, cause);
        this.remedy = remedy;
        this.directory = directory == null ? null : directory.toAbsolutePath().normalize();
    }

    public Remedy remedy() {
        return remedy;
    }

    /** The data directory the problem is in (where the repair must fetch to), or null when none is concerned. */
    public Path directory() {
        return directory;
    }
}
