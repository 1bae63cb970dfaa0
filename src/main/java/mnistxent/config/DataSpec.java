package mnistxent.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where MNIST lives and how it is split (SPEC §1).
 *
 * @param dir            the data directory, or {@code null} for the default (see the data package)
 * @param validationSize the first {@code validationSize} training images are held out (TF: 5,000)
 * @param mirrors        HTTPS base URLs tried in order for the {@code .gz} files before npm
 */
public record DataSpec(Path dir, int validationSize, List<URI> mirrors) {

    public DataSpec {
        mirrors = List.copyOf(mirrors);
    }

    /** The same split and mirrors, with MNIST kept in {@code newDir}. */
    public DataSpec withDir(Path newDir) {
        return new DataSpec(newDir, validationSize, mirrors);
    }
}
