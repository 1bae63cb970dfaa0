package mnistxent.data.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small ustar archives for the tests (long names through pax headers). */
final class TarTestFiles {

    private TarTestFiles() {
    }

    /** A gzipped tar of the given entries, in order. */
    static byte[] tgz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(tar(entries));
        }
        return bos.toByteArray();
    }

    static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String name = e.getKey();
            if (name.getBytes(StandardCharsets.UTF_8).length > 100) {
                String rec = " path=" + name + "\n";
                int len = rec.length() + 2;
                len = rec.length() + String.valueOf(len).length();
                byte[] pax = (len + rec).getBytes(StandardCharsets.UTF_8);
                writeEntry(out, "PaxHeader/x", pax, 'x');
                name = name.substring(name.length() - 90);
            }
            writeEntry(out, name, e.getValue(), '0');
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    static void writeEntry(ByteArrayOutputStream out, String name, byte[] data, char type) throws IOException {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0001750", 8);
        put(h, 116, "0001750", 8);
        put(h, 124, String.format("%011o", data.length), 12);
        put(h, 136, "14500000000", 12);
        h[156] = (byte) type;
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum), 7);
        out.write(h);
        out.write(data);
        int pad = (512 - data.length % 512) % 512;
        out.write(new byte[pad]);
    }

    private static void put(byte[] h, int off, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(b.length, max));
    }

    static Map<String, byte[]> entries(Object... nameThenData) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenData.length; i += 2) {
            m.put((String) nameThenData[i], (byte[]) nameThenData[i + 1]);
        }
        return m;
    }
}
