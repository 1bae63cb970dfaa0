package mnistxent.data.fetch;

import mnistxent.data.IdxTestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TarReaderTest {

    @TempDir
    Path dir;

    private static Map<String, byte[]> read(TarReader tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (TarReader.Entry e; (e = tar.next()) != null; ) {
            if (e.isFile()) {
                out.put(e.name(), tar.content().readAllBytes());
            }
        }
        return out;
    }

    @Test
    void readsEntriesInOrderIncludingPaxLongNamesAndSkipsUnreadData() throws Exception {
        String longName = "package/" + "d".repeat(120) + "/file";
        byte[] big = IdxTestFiles.randomPixels(2, 9); // 1568 bytes: spans blocks, needs padding
        Map<String, byte[]> entries = TarTestFiles.entries(
                "package/package.json", "{}".getBytes(),
                longName, new byte[] {7, 7, 7},
                "package/data/big", big,
                "package/empty", new byte[0]);
        try (TarReader tar = new TarReader(new ByteArrayInputStream(TarTestFiles.tar(entries)))) {
            Map<String, byte[]> got = read(tar);
            assertEquals(entries.keySet().stream().toList(), got.keySet().stream().toList());
            for (String k : entries.keySet()) {
                assertArrayEquals(entries.get(k), got.get(k), k);
            }
        }
        // Skipping entries without reading their data lands on the right headers.
        try (TarReader tar = new TarReader(new ByteArrayInputStream(TarTestFiles.tar(entries)))) {
            assertEquals("package/package.json", tar.next().name());
            assertEquals(longName, tar.next().name());
            TarReader.Entry e = tar.next();
            assertEquals("package/data/big", e.name());
            assertEquals(big.length, e.size());
            tar.content().readNBytes(10); // partly read
            assertEquals("package/empty", tar.next().name());
            assertNull(tar.next());
        }
    }

    @Test
    void aDamagedHeaderIsAnError() throws Exception {
        byte[] tar = TarTestFiles.tar(TarTestFiles.entries("a", new byte[] {1}));
        tar[10] ^= 1;
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
            IOException e = assertThrows(IOException.class, r::next);
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    @Test
    void aTruncatedArchiveIsAnError() throws Exception {
        byte[] tar = TarTestFiles.tar(TarTestFiles.entries("a", new byte[2000]));
        byte[] cut = java.util.Arrays.copyOf(tar, 512 + 1000);
        try (TarReader r = new TarReader(new ByteArrayInputStream(cut))) {
            r.next();
            assertThrows(IOException.class, () -> r.content().readAllBytes());
        }
    }

    /** Archives written by the system's tar (GNU or pax long names) read the same, when tar is there. */
    @Test
    void readsWhatTheSystemTarWrites() throws Exception {
        Path src = dir.resolve("src");
        String longDir = "package/" + "x".repeat(110);
        Files.createDirectories(src.resolve(longDir));
        Files.write(src.resolve(longDir).resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3, 4});
        Files.write(src.resolve("package/readme.md"), "hi".getBytes());
        Path tgz = dir.resolve("p.tgz");
        Process p;
        try {
            p = new ProcessBuilder("tar", "czf", tgz.toString(), "-C", src.toString(), "package")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no tar on this machine");
            return;
        }
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tar failed");
        try (TarReader tar = new TarReader(new GZIPInputStream(Files.newInputStream(tgz)))) {
            Map<String, byte[]> got = read(tar);
            assertArrayEquals(new byte[] {1, 2, 3, 4}, got.get(longDir + "/train-images-idx3-ubyte"), got.keySet().toString());
            assertArrayEquals("hi".getBytes(), got.get("package/readme.md"));
        }
    }
}
