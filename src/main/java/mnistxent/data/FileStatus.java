package mnistxent.data;

import java.nio.file.Path;

/**
 * What {@link MnistVerifier} found for one of the four files.
 *
 * @param file      which file
 * @param path      the copy that was checked (raw or {@code .gz}), or {@code null} when missing
 * @param state     missing, valid or corrupt
 * @param actualSha SHA-256 of the raw content, or {@code null} when it was not computed (missing, or
 *                  undecodable gzip)
 * @param detail    for a corrupt file, the extra fact (size, gzip error, which file it really is); else ""
 */
public record FileStatus(MnistFile file, Path path, State state, String expectedSha, String actualSha,
                         String detail) {

    /** PRESENT: there, not hashed (the run that reads it hashes it: {@link MnistData#load}). */
    public enum State { MISSING, PRESENT, VALID, CORRUPT }

    public boolean isValid() {
        return state == State.VALID;
    }

    /** A one-line message for a missing or corrupt file, naming the file and the hashes ({@link #remedy()}: the fix). */
    public String problem() {
        return switch (state) {
            case VALID -> path + ": OK";
            case PRESENT -> path + ": present";
            case MISSING -> file.fileName() + " (or " + file.gzName() + ") is missing";
            case CORRUPT -> path + " is corrupt or incomplete: SHA-256 " + (actualSha == null ? "unknown" : actualSha)
                    + ", expected " + expectedSha + (detail.isEmpty() ? "" : " (" + detail + ")")
                    + "; it is not used or overwritten silently";
        };
    }

    /** What repairs a missing or corrupt file: fetching it, or fetching it again. */
    public DataException.Remedy remedy() {
        return switch (state) {
            case VALID, PRESENT -> DataException.Remedy.NONE;
            case MISSING -> DataException.Remedy.FETCH;
            case CORRUPT -> DataException.Remedy.REFETCH;
        };
    }
}
