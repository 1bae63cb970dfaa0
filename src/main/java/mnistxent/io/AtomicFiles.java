package mnistxent.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
 * Writes files so that a reader sees either the old file or the complete new one, never a part: every
 * file the application writes (MNIST downloads, model zips, metrics, reports, charts, NumPy files) goes
 * through here.
 *
 * <p>Content goes to a hidden temporary file in the target's own directory
 * ({@code .NAME.part-RANDOM}, same file system), is forced to disk, and is then renamed over the
 * target in one atomic step. A fetch killed half-way therefore leaves at most a {@code .part} file,
 * whose name no reader looks at. The writer holds an exclusive lock on its {@code .part} file until
 * the rename, so {@link #deleteStale} can tell the leftovers of a killed process (unlocked) from a
 * fetch running now in another process (locked); a shutdown hook removes them on a normal exit or Ctrl-C.
 */
public final class AtomicFiles {

    /** Writes the content of a file; it may close the stream it is given. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static final String PART_MARK = ".part-";

    /** A part file younger than this is never deleted: its writer may be about to lock it. */
    private static final Duration MIN_STALE_AGE = Duration.ofMinutes(1);

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

    /**
     * A locked temporary file next to {@code target}. Write through {@link #stream()}, then
     * {@link #commit()}; {@link #close()} without a commit deletes it.
     */
    public static final class Temp implements Closeable {
        private final Path target;
        private final Path path;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean committed;

        private Temp(Path target) throws IOException {
            this.target = target;
            this.path = target.resolveSibling("." + target.getFileName() + PART_MARK + UUID.randomUUID());
            IN_PROGRESS.add(path);
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                this.lock = ch.lock();
            } catch (IOException | RuntimeException e) {
                ch.close();
                discard(path);
                throw e;
            }
            this.channel = ch;
        }

        public Path path() {
            return path;
        }

        /** A buffered stream into the file; closing it flushes but keeps the file open for the commit. */
        public OutputStream stream() {
            return new FilterOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }

        /** Forces the content to disk and renames the file over the target, still holding the lock. */
        public void commit() throws IOException {
            channel.force(true);
            try {
                Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + target.getParent() + " cannot rename files atomically", e);
            }
            committed = true;
            IN_PROGRESS.remove(path);
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", path, e.toString());
            }
            if (!committed) {
                discard(path);
            }
        }
    }

    /** A new locked temporary file for {@code target}. */
    public static Temp create(Path target) throws IOException {
        return new Temp(target);
    }

    /** Writes {@code target} atomically with the content {@code body} produces. */
    public static void write(Path target, Body body) throws IOException {
        try (Temp temp = create(target)) {
            OutputStream out = temp.stream();
            body.writeTo(out);
            out.flush();
            temp.commit();
        }
    }

    /** Writes {@code text} as UTF-8 into {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Copies {@code from} over {@code to} atomically: {@code to} is the old file or the whole copy. */
    public static void copy(Path from, Path to) throws IOException {
        write(to, out -> Files.copy(from, out));
    }

    private static void discard(Path temp) {
        IN_PROGRESS.remove(temp);
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", temp, e.toString());
        }
    }

    /**
     * Deletes the {@code .*.part-*} files in {@code dir} that no live writer holds: leftovers of a
     * killed fetch. Locked ones (a fetch running now, here or in another process) and very young
     * ones are spared. Returns how many were deleted.
     */
    public static int deleteStale(Path dir) {
        return deleteStale(dir, MIN_STALE_AGE);
    }

    static int deleteStale(Path dir, Duration minAge) {
        int deleted = 0;
        Instant cutoff = Instant.now().minus(minAge);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + PART_MARK + "*")) {
            for (Path p : files) {
                if (!Files.isRegularFile(p) || IN_PROGRESS.contains(p)
                        || !Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    FileLock lock = ch.tryLock();
                    if (lock == null) {
                        continue; // another process is writing it
                    }
                    try {
                        Files.deleteIfExists(p);
                        deleted++;
                        log.info("deleted {}, the leftover of an interrupted fetch", p);
                    } finally {
                        lock.release();
                    }
                } catch (OverlappingFileLockException e) {
                    // written by this very process
                }
            }
        } catch (IOException e) {
            log.debug("cannot clean {}: {}", dir, e.toString());
        }
        return deleted;
    }
}
