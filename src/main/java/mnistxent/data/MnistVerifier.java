package mnistxent.data;

import mnistxent.OneLine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * Checks the four files in a directory against their SHA-256 (docs/SPEC.md §1), whatever their source.
 *
 * <p>A {@code .gz} copy is checked by the hash of what it decompresses to, so a gzipped file from
 * TF's cache and a raw file from npm are held to the same canonical values. Every check hashes: nothing
 * is taken on trust from an earlier run (a file can be changed in place with its size and times kept).
 * Training does not call these: {@link MnistData#load} hashes the very bytes it reads, while it reads them.
 */
public final class MnistVerifier {

    private final Map<MnistFile, String> expected;
    private final Map<MnistFile, Long> sizes;

    /** A verifier with other expected hashes and raw sizes: tests use small generated files. */
    MnistVerifier(Map<MnistFile, String> expected, Map<MnistFile, Long> sizes) {
        this.expected = new EnumMap<>(expected);
        this.sizes = new EnumMap<>(sizes);
        for (MnistFile f : MnistFile.values()) {
            if (!this.expected.containsKey(f) || !this.sizes.containsKey(f)) {
                throw new IllegalArgumentException("no expected hash or size for " + f);
            }
        }
    }

    /** The verifier for the real MNIST files. */
    public static MnistVerifier canonical() {
        Map<MnistFile, String> m = new EnumMap<>(MnistFile.class);
        Map<MnistFile, Long> s = new EnumMap<>(MnistFile.class);
        for (MnistFile f : MnistFile.values()) {
            m.put(f, f.sha256());
            s.put(f, f.rawSize());
        }
        return new MnistVerifier(m, s);
    }

    public String expectedSha(MnistFile file) {
        return expected.get(file);
    }

    /** The status of every file, in {@link MnistFile} order: each present one is hashed. */
    public List<FileStatus> checkAll(Path dir) {
        requireUsableDirectory(dir);
        List<FileStatus> out = new ArrayList<>();
        for (MnistFile f : MnistFile.values()) {
            out.add(check(dir, f));
        }
        return out;
    }

    /** The status of one file in {@code dir} (its raw copy if present, else its {@code .gz}), hashed. */
    public FileStatus check(Path dir, MnistFile file) {
        Path path = find(dir, file).orElse(null);
        if (path == null) {
            return new FileStatus(file, null, FileStatus.State.MISSING, expected.get(file), null, "");
        }
        return checkContent(file, path);
    }

    /** The files {@code dir} lacks (neither raw nor {@code .gz} there), without reading any. */
    public static Set<MnistFile> missing(Path dir) {
        requireUsableDirectory(dir);
        Set<MnistFile> out = EnumSet.noneOf(MnistFile.class);
        for (MnistFile f : MnistFile.values()) {
            if (find(dir, f).isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The copy of {@code file} in {@code dir} ({@link MnistFile#find}); something else in the way of either
     * name (a directory, a device) is an error that says so, not a missing file to fetch over.
     */
    static Optional<Path> find(Path dir, MnistFile file) {
        for (Path p : List.of(file.rawPath(dir), file.gzPath(dir))) {
            if (Files.exists(p) && !Files.isRegularFile(p)) {
                throw new DataException(p + " is " + (Files.isDirectory(p) ? "a directory" : "not a regular file")
                        + " where the MNIST file " + p.getFileName() + " should be; move it out of the way",
                        DataException.Remedy.NONE, dir);
            }
        }
        return file.find(dir);
    }

    /**
     * A data directory that exists but cannot be listed or read is that, not a directory with files
     * missing (a fetch into it would fail, or fetch what is already there).
     */
    static void requireUsableDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException("the data directory " + dir + " is a file, not a directory",
                    DataException.Remedy.OTHER_DIRECTORY, dir);
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new DataException("cannot read the data directory " + dir + " (permission denied)",
                    DataException.Remedy.OTHER_DIRECTORY, dir);
        }
    }

    /** Hashes {@code path} (decompressing a gzip file) and compares it with the expected hash of {@code file}. */
    FileStatus checkContent(MnistFile file, Path path) {
        String actual;
        long rawBytes;
        boolean gz;
        try (InputStream in = IdxFiles.open(path)) {
            gz = IdxFiles.isGzip(path);
            MessageDigest md = sha256();
            byte[] buf = new byte[1 << 16];
            long n = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
                n += r;
            }
            actual = HexFormat.of().formatHex(md.digest());
            rawBytes = n;
        } catch (ZipException | EOFException e) {
            return new FileStatus(file, path, FileStatus.State.CORRUPT, expected.get(file), null,
                    "damaged or truncated gzip data: " + OneLine.reason(e));
        } catch (IOException e) {
            throw new DataException(path + ": cannot read: " + OneLine.reason(e), DataException.Remedy.NONE, null, e);
        }
        return judge(file, path, actual, rawBytes, gz);
    }

    /**
     * The status of {@code path}, whose (uncompressed) content of {@code rawBytes} bytes hashes to
     * {@code actual}: valid, or corrupt with what can be said about it (which file it really is, its size).
     */
    public FileStatus judge(MnistFile file, Path path, String actual, long rawBytes, boolean gz) {
        String want = expected.get(file);
        if (actual.equals(want)) {
            return new FileStatus(file, path, FileStatus.State.VALID, want, actual, "");
        }
        String detail = "";
        long wantSize = sizes.get(file);
        for (Map.Entry<MnistFile, String> other : expected.entrySet()) {
            if (other.getKey() != file && other.getValue().equals(actual)) {
                // A file copied over another by mistake: say which one it really is.
                detail = "its content is " + other.getKey().fileName();
            }
        }
        if (detail.isEmpty() && rawBytes != wantSize) {
            detail = (rawBytes < wantSize ? "truncated: " : "too long: ") + rawBytes + " bytes"
                    + (gz ? " uncompressed" : "") + ", expected " + wantSize;
        }
        return new FileStatus(file, path, FileStatus.State.CORRUPT, want, actual, detail);
    }

    /**
     * Throws a {@link DataException} for the first missing or corrupt file, or returns when all four
     * are valid (hashed now). The message of a corrupt file names it and both hashes.
     */
    public void requireAll(Path dir) {
        for (FileStatus s : checkAll(dir)) {
            if (s.state() == FileStatus.State.MISSING) {
                throw new DataException(s.problem() + " in " + dir, s.remedy(), dir);
            }
            if (s.state() == FileStatus.State.CORRUPT) {
                throw new DataException(s.problem(), s.remedy(), dir);
            }
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** SHA-256 of a file's bytes as stored (no decompression), lower-case hex. */
    static String sha256Of(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
