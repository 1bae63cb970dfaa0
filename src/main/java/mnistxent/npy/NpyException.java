package mnistxent.npy;

import mnistxent.UserError;

/**
 * A {@code .npy} file that cannot be used: missing, malformed, or not the array expected. The message is
 * one line naming the file, the problem and the fix, as for every {@link UserError}.
 */
public final class NpyException extends UserError {

    public NpyException(String message) {
        super(message);
    }
}
