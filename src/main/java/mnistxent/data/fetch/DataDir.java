package mnistxent.data.fetch;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The MNIST directory chosen by {@link DataLocator}, and why it was chosen (shown by {@code data info}
 * and in error messages, so a user knows which setting to change).
 *
 * @param path   absolute path of the directory (it may not exist yet)
 * @param origin where the choice came from, e.g. {@code "system property mnistxent.data.dir"}
 */
public record DataDir(Path path, String origin) {

    public DataDir {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(origin, "origin");
        path = path.toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        return path + " (from " + origin + ")";
    }
}
