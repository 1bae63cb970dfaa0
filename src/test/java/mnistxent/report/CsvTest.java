package mnistxent.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvTest {

    @Test
    void quotesOnlyWhereNeeded() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.field("two\nlines"));
        assertEquals("a,\"b,c\",1.5\n", Csv.line(List.of("a", "b,c", "1.5")));
    }

    @Test
    void writesHeaderAndRows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.csv");
        Csv.write(file, List.of("cost", "epoch"), List.of(List.of("quadratic", "0"), List.of("quadratic", "1")));
        assertEquals("cost,epoch\nquadratic,0\nquadratic,1\n", Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void rejectsRowsThatDoNotMatchTheHeader(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> Csv.write(dir.resolve("t.csv"), List.of("a", "b"), List.of(List.of("1"))));
    }
}
