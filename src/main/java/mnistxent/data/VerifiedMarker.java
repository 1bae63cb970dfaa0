package mnistxent.data;

import mnistxent.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Properties;

/**
 * Remembers which files were hashed and found valid, so that a run does not re-hash 55 MB every time.
 *
 * <p>An entry holds the file's SHA-256 together with its size, modification time (full precision)
 * and file key (device and inode on Linux). Any write to the file, a copy over it or a rename of
 * another file onto it changes one of these, and the file is hashed again. Only a deliberate edit
 * that restores size and timestamps could slip past; {@code data verify} always hashes.
 * The marker is advisory: if it cannot be read or written, files are simply hashed.
 */
public final class VerifiedMarker {

    public static final String FILE_NAME = ".mnist-xent-verified";

    private static final Logger log = LoggerFactory.getLogger(VerifiedMarker.class);

    private final Path markerFile;

    public VerifiedMarker(Path dir) {
        this.markerFile = dir.resolve(FILE_NAME);
    }

    /** The SHA-256 recorded for {@code file} if it is unchanged since then, else {@code null}. */
    String recordedSha(Path file) {
        Properties p = read();
        String entry = p.getProperty(file.getFileName().toString());
        if (entry == null) {
            return null;
        }
        String key = key(file);
        int space = entry.indexOf(' ');
        if (key == null || space < 0 || !entry.substring(space + 1).equals(key)) {
            return null;
        }
        return entry.substring(0, space);
    }

    /** Records that {@code file}, as it is now, hashes to {@code sha}. */
    public void record(Path file, String sha) {
        String key = key(file);
        if (key == null) {
            return;
        }
        Properties p = read();
        p.setProperty(file.getFileName().toString(), sha + " " + key);
        write(p);
    }

    /** Drops the entry of {@code file} (e.g. after it was found corrupt). */
    void forget(Path file) {
        Properties p = read();
        if (p.remove(file.getFileName().toString()) != null) {
            write(p);
        }
    }

    private static String key(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + " " + a.lastModifiedTime().toInstant() + " " + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private Properties read() {
        Properties p = new Properties();
        if (Files.isRegularFile(markerFile)) {
            try (Reader r = Files.newBufferedReader(markerFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                log.debug("ignoring unreadable {}: {}", markerFile, e.toString());
                return new Properties();
            }
        }
        return p;
    }

    private void write(Properties p) {
        try {
            AtomicFiles.write(markerFile, out -> {
                try (Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                    p.store(w, "MNIST files hashed and found valid by mnist-xent: sha256 size mtime filekey");
                }
            });
        } catch (IOException e) {
            log.debug("cannot write {}: {} (files will be hashed on every run)", markerFile, e.toString());
        }
    }
}
