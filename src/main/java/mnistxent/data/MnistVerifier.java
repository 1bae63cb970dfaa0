package mnistxent.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Checks the four files in a directory against their SHA-256 (docs/SPEC.md §1), whatever their source.
 *
 * <p>A {@code .gz} copy is checked by the hash of what it decompresses to, so a gzipped file from
 * TF's cache and a raw file from npm are held to the same canonical values. A file that was hashed
 * and found valid before, and has not changed since, is accepted from the {@link VerifiedMarker}
 * unless a full check is asked for ({@code data verify}).
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

    /** The status of every file, in {@link MnistFile} order. */
    public List<FileStatus> checkAll(Path dir, boolean alwaysHash) {
        List<FileStatus> out = new ArrayList<>();
        for (MnistFile f : MnistFile.values()) {
            out.add(check(dir, f, alwaysHash));
        }
        return out;
    }

    /** The status of one file in {@code dir} (its raw copy if present, else its {@code .gz}). */
    public FileStatus check(Path dir, MnistFile file, boolean alwaysHash) {
        Path path = file.find(dir).orElse(null);
        String want = expected.get(file);
        if (path == null) {
            return new FileStatus(file, null, FileStatus.State.MISSING, want, null, false, "");
        }
        VerifiedMarker marker = new VerifiedMarker(dir);
        if (!alwaysHash && want.equals(marker.recordedSha(path))) {
            return new FileStatus(file, path, FileStatus.State.VALID, want, null, false, "");
        }
        FileStatus status = checkContent(file, path);
        if (status.isValid()) {
            marker.record(path, status.actualSha());
        } else {
            marker.forget(path);
        }
        return status;
    }

    /** Hashes {@code path} (decompressing a gzip file) and compares it with the expected hash of {@code file}. */
    FileStatus checkContent(MnistFile file, Path path) {
        String want = expected.get(file);
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
            return new FileStatus(file, path, FileStatus.State.CORRUPT, want, null, true,
                    "damaged or truncated gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw new DataException(path + ": cannot read: " + e, DataException.Remedy.NONE, e);
        }
        if (actual.equals(want)) {
            return new FileStatus(file, path, FileStatus.State.VALID, want, actual, true, "");
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
        return new FileStatus(file, path, FileStatus.State.CORRUPT, want, actual, true, detail);
    }

    /**
     * Throws a {@link DataException} for the first missing or corrupt file, or returns when all four
     * are valid. The message of a corrupt file names it and both hashes.
     */
    public void requireAll(Path dir) {
        for (FileStatus s : checkAll(dir, false)) {
            if (s.state() == FileStatus.State.MISSING) {
                throw new DataException(s.problem() + " in " + dir, s.remedy());
            }
            if (s.state() == FileStatus.State.CORRUPT) {
                throw new DataException(s.problem(), s.remedy());
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
