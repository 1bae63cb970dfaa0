package mnistxent.report;

import mnistxent.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes small tables as CSV (RFC 4180 fields: comma separated, quoted only when they contain a
 * comma, a quote or a line break; lines end in "\n"). Numbers arrive as the caller's strings, so
 * each caller decides the precision its columns need.
 */
public final class Csv {

    private Csv() {
    }

    /**
     * Writes {@code header} and {@code rows} to {@code file}, replacing it. Every row must have as many
     * fields as the header. Written atomically ({@link AtomicFiles}).
     */
    public static void write(Path file, List<String> header, List<List<String>> rows) throws IOException {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != header.size()) {
                throw new IllegalArgumentException("CSV row " + i + " has " + rows.get(i).size()
                        + " fields, the header " + header.size());
            }
        }
        StringBuilder text = new StringBuilder(line(header));
        for (List<String> row : rows) {
            text.append(line(row));
        }
        AtomicFiles.writeString(file.toAbsolutePath(), text.toString());
    }

    /** One CSV line, with its "\n". */
    public static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(fields.get(i)));
        }
        return b.append('\n').toString();
    }

    /** A field, quoted (with quotes doubled) only where it has to be. */
    public static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
