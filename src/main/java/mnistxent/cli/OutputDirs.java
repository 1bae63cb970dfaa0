package mnistxent.cli;

import mnistxent.UserError;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --out} directory of the report commands (neuron, ablate): created, or one line saying why not. */
final class OutputDirs {

    private OutputDirs() {
    }

    /** Creates the output directory, or explains in one line why it cannot be used. */
    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the output directory " + dir + ": " + describe(e)
                    + " (choose another with --out)");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("the output directory " + dir + " is not writable (choose another with --out)");
        }
    }

    /** An IOException in one line: NIO's messages are often just the path, already in ours. */
    static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
