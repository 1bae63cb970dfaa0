package mnistxent.io;

import mnistxent.data.MnistFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private long filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    private static void makeOld(Path p) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    }

    @Test
    void writesTheWholeContentAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("file");
        AtomicFiles.write(target, out -> {
            out.write(new byte[] {1, 2, 3});
            out.close(); // a body may close its stream
        });
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(1, filesIn(dir));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoPart() throws Exception {
        Path target = dir.resolve("file");
        Files.write(target, new byte[] {9});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("connection reset");
        }));
        assertEquals("connection reset", e.getMessage());
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target), "the old file is untouched");
        assertEquals(1, filesIn(dir), "no partial file is left");
    }

    @Test
    void untilTheCommitOnlyAHiddenPartFileExists() throws Exception {
        Path target = dir.resolve("train-images-idx3-ubyte");
        try (AtomicFiles.Temp temp = AtomicFiles.create(target)) {
            OutputStream out = temp.stream();
            out.write(new byte[10]);
            out.flush();
            assertFalse(Files.exists(target), "nothing under the real name until the commit");
            assertTrue(temp.path().getFileName().toString().startsWith(".train-images-idx3-ubyte.part-"));
            assertFalse(MnistFile.TRAIN_IMAGES.find(dir).isPresent(), "a part file is never taken for the data file");
            temp.commit();
            assertEquals(10, Files.size(target));
            assertFalse(Files.exists(temp.path()));
        }
        assertEquals(1, filesIn(dir));
    }

    @Test
    void closingWithoutACommitDeletesThePart() throws Exception {
        Path target = dir.resolve("x");
        try (AtomicFiles.Temp temp = AtomicFiles.create(target)) {
            temp.stream().write(new byte[5]);
        }
        assertEquals(0, filesIn(dir));
    }

    @Test
    void removesUnlockedLeftoversButNotDataFilesYoungPartsOrPartsBeingWritten() throws Exception {
        Path stale = dir.resolve(".t10k-images-idx3-ubyte.part-1234");
        Path young = dir.resolve(".t10k-labels-idx1-ubyte.part-5678");
        Path data = dir.resolve("t10k-images-idx3-ubyte");
        for (Path p : new Path[] {stale, young, data}) {
            Files.write(p, new byte[1]);
        }
        makeOld(stale);
        makeOld(data);
        try (AtomicFiles.Temp live = AtomicFiles.create(dir.resolve("train-labels-idx1-ubyte"))) {
            makeOld(live.path()); // even an old-looking part of this process is spared
            assertEquals(1, AtomicFiles.deleteStale(dir));
            assertTrue(Files.exists(live.path()));
        }
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(young), "a writer may be about to lock it");
        assertTrue(Files.exists(data), "data files are never touched");
    }

    @Test
    void aPartLockedByAnotherProcessIsSpared() throws Exception {
        Path part = dir.resolve(".train-images-idx3-ubyte.part-other-process");
        Files.write(part, new byte[1]);
        makeOld(part);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PartFileLockHolder.class.getName(), part.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertEquals("locked", r.readLine());
            assertEquals(0, AtomicFiles.deleteStale(dir));
            assertTrue(Files.exists(part), "another fetch is writing it");
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(1, AtomicFiles.deleteStale(dir), "once its writer is gone it is a leftover");
        assertFalse(Files.exists(part));
    }
}
