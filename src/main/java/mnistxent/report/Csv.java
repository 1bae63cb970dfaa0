package mnistxent.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
     * fields as the header. Written next to the final name and moved into place.
     */
    public static void write(Path file, List<String> header, List<List<String>> rows) throws IOException {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != header.size()) {
                throw new IllegalArgumentException("CSV row " + i + " has " + rows.get(i).size()
                        + " fields, the header " + header.size());
            }
        }
        Path absolute = file.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            out.write(line(header));
            for (List<String> row : rows) {
                out.write(line(row));
            }
        }
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
