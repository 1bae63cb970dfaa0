package mnistxent.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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
            out.write(new byte[1000]);
            throw new IOException("connection reset");
        }));
        assertEquals("connection reset", e.getMessage());
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target), "the old file is untouched");
        assertEquals(1, filesIn(dir), "no partial file is left");
    }

    @Test
    void whileWritingOnlyAHiddenPartFileExists() throws Exception {
        Path target = dir.resolve("train-images-idx3-ubyte");
        Path temp = AtomicFiles.newTemp(target);
        Files.write(temp, new byte[10]);
        assertFalse(Files.exists(target), "nothing under the real name until commit");
        assertTrue(temp.getFileName().toString().startsWith(".train-images-idx3-ubyte.part-"));
        assertFalse(MnistFile.TRAIN_IMAGES.find(dir).isPresent(), "a part file is never taken for the data file");
        AtomicFiles.commit(temp, target);
        assertTrue(Files.exists(target));
        assertFalse(Files.exists(temp));
        AtomicFiles.discard(temp); // no-op after commit
        assertTrue(Files.exists(target));
    }

    @Test
    void removesOnlyStaleLeftoversOfKilledFetches() throws Exception {
        Path stale = dir.resolve(".t10k-images-idx3-ubyte.part-1234");
        Path fresh = dir.resolve(".t10k-labels-idx1-ubyte.part-5678");
        Path other = dir.resolve("t10k-images-idx3-ubyte");
        for (Path p : new Path[] {stale, fresh, other}) {
            Files.write(p, new byte[1]);
        }
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        assertEquals(1, AtomicFiles.deleteStale(dir, Duration.ofMinutes(10)));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh), "a fetch running now is spared");
        assertTrue(Files.exists(other), "data files are never touched");
    }
}
