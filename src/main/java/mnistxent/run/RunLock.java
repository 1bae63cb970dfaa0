package mnistxent.run;

import mnistxent.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process at a time in a run directory (README, "train"): two runs writing the same directory would
 * leave one run's epochs next to the other's models. The owner holds {@value #FILE} in the directory, which
 * names its process id, and locks it with the operating system, so that the lock ends with the process
 * however it ends ({@code kill -9} included): a {@value #FILE} that names a process but is not locked is
 * stale, and is taken over. Released, the file stays, empty (deleting it would let a process that opened it
 * just before lock a file no one else sees).
 *
 * <p>The operating system's lock belongs to the whole process, so it cannot tell two runs of one process
 * apart: the directories this process holds are also kept here.
 */
public final class RunLock {

    public static final String FILE = ".lock";

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);
    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();

    /** The run directory is held by another process, or by another run of this one. */
    public static final class Busy extends UserError {
        private final Path directory;
        private final OptionalLong owner;

        Busy(Path directory, OptionalLong owner) {
            super("the run directory " + directory + " is in use by "
                    + (owner.isEmpty() ? "another process"
                    : owner.getAsLong() == ProcessHandle.current().pid() ? "another run of this process"
                    : "process " + owner.getAsLong()));
            this.directory = directory;
            this.owner = owner;
        }

        public Path directory() {
            return directory;
        }

        /** The owner's process id, when its lock file names one. */
        public OptionalLong owner() {
            return owner;
        }
    }

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    /** The lock file's identity (device and inode), to know whether it is still the directory's. */
    private final Object fileKey;

    private RunLock(Path directory, FileChannel channel, FileLock lock, Object fileKey) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
    }

    /**
     * Takes {@code dir} (which must exist) for this process.
     *
     * @throws Busy when another live process, or another run of this one, holds it
     */
    public static void acquire(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        long self = ProcessHandle.current().pid();
        dropIfGone(key);
        if (HELD.putIfAbsent(key, placeholder()) != null) {
            throw new Busy(dir, OptionalLong.of(self));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            String previous = read(channel);
            if (lock == null) {
                throw new Busy(dir, pidIn(previous));
            }
            if (!previous.isBlank()) {
                log.info("{} held a lock of process {}, which is gone: taken over", dir, previous.trim());
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            HELD.put(key, new RunLock(key, channel, lock, fileKey(key.resolve(FILE))));
        } catch (IOException e) {
            close(channel);
            HELD.remove(key);
            throw new UserError("cannot lock the run directory " + dir + " (" + e + "); it must be writable");
        } catch (RuntimeException e) {
            close(channel);
            HELD.remove(key);
            throw e;
        }
    }

    /** Releases {@code dir} if this process holds it (otherwise nothing). */
    public static void release(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        RunLock held = HELD.get(key);
        if (held == null || held.channel == null) {
            return;
        }
        try {
            held.channel.truncate(0);
            held.lock.release();
        } catch (IOException e) {
            log.debug("releasing {}: {}", key.resolve(FILE), e.toString());
        } finally {
            close(held.channel);
            HELD.remove(key, held);
        }
    }

    /** Whether this process holds {@code dir}. */
    public static boolean holds(Path dir) {
        RunLock held = HELD.get(dir.toAbsolutePath().normalize());
        return held != null && held.channel != null;
    }

    /** Reserves a directory in {@link #HELD} while its lock is being taken. */
    private static RunLock placeholder() {
        return new RunLock(null, null, null, null);
    }

    /**
     * Forgets a lock this process holds on a directory that was deleted (and perhaps made again) since: its
     * lock file is gone, so the lock protects nothing (the ablation deletes an unfinished run's directory and
     * trains it again).
     */
    private static void dropIfGone(Path key) {
        RunLock held = HELD.get(key);
        if (held != null && held.channel != null && !held.fileKey.equals(fileKey(key.resolve(FILE)))) {
            close(held.channel);
            HELD.remove(key, held);
        }
    }

    /** A file's identity without opening it (opening and closing it would drop this process's lock on it). */
    private static Object fileKey(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : file;
        } catch (IOException e) {
            return "absent";
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    private static OptionalLong pidIn(String content) {
        try {
            return OptionalLong.of(Long.parseLong(content.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    @Override
    public String toString() {
        return "RunLock[" + directory + "]";
    }
}
