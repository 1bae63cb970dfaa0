package mnistxent.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes files so that a reader sees either the old file or the complete new one, never a part.
 *
 * <p>Content goes to a hidden temporary file in the target's own directory
 * ({@code .NAME.part-RANDOM}, same file system), is flushed to disk, and is then renamed over the
 * target in one atomic step. A fetch killed half-way therefore leaves at most a {@code .part} file,
 * whose name no reader looks at: on a normal exit or Ctrl-C a shutdown hook deletes it, after a
 * {@code kill -9} the next fetch removes it ({@link #deleteStale}).
 */
final class AtomicFiles {

    /** Writes the content of a file; it may close the stream it is given. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static final String PART_MARK = ".part-";

    private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_PROGRESS) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort at exit; the next fetch removes what is left.
                }
            }
        }, "mnist-xent-partial-file-cleanup"));
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically with the content {@code body} produces. */
    static void write(Path target, Body body) throws IOException {
        Path temp = newTemp(target);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new FilterOutputStream(Channels.newOutputStream(ch)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        this.out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the channel stays open until it is forced to disk below
                    }
                };
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            commit(temp, target);
        } finally {
            discard(temp);
        }
    }

    /** A new empty temporary file next to {@code target}, deleted at exit unless committed. */
    static Path newTemp(Path target) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + PART_MARK + UUID.randomUUID());
        IN_PROGRESS.add(temp);
        Files.createFile(temp);
        return temp;
    }

    /** Renames a finished temporary file over {@code target} in one step. */
    static void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target.getParent() + " cannot rename files atomically", e);
        }
        IN_PROGRESS.remove(temp);
    }

    /** Deletes a temporary file that was not committed (no-op after {@link #commit}). */
    static void discard(Path temp) {
        if (IN_PROGRESS.remove(temp)) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.debug("cannot delete {}: {}", temp, e.toString());
            }
        }
    }

    /**
     * Deletes {@code .*.part-*} files in {@code dir} untouched for longer than {@code age}: leftovers
     * of a killed fetch. A fetch running right now writes its file continuously, so it is spared.
     */
    static int deleteStale(Path dir, Duration age) {
        int deleted = 0;
        Instant cutoff = Instant.now().minus(age);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + PART_MARK + "*")) {
            for (Path p : files) {
                if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                    deleted++;
                    log.debug("deleted the leftover of an interrupted fetch: {}", p);
                }
            }
        } catch (IOException e) {
            log.debug("cannot clean {}: {}", dir, e.toString());
        }
        return deleted;
    }
}
