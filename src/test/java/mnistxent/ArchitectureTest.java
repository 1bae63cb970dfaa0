package mnistxent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering README's "How the code is organised" draws, checked on the sources: every import of the
 * project's own classes goes down the layers (or stays in its package), never up.
 */
class ArchitectureTest {

    /** Each top-level package's layer; a package may import its own layer's package and lower layers only. */
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("", 0), Map.entry("io", 0), Map.entry("random", 0), Map.entry("npy", 1),
            Map.entry("report", 1), Map.entry("config", 2), Map.entry("model", 3), Map.entry("data", 3),
            Map.entry("engine", 4), Map.entry("run", 5), Map.entry("train", 6),
            Map.entry("replay", 7), Map.entry("inference", 7), Map.entry("neuron", 7),
            Map.entry("bench", 8), Map.entry("ablation", 8), Map.entry("portable", 8), Map.entry("cli", 9));

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package mnistxent\\.?([\\w.]*);");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?mnistxent\\.((?:[a-z]\\w*\\.)*)[A-Z]");

    private record Edge(String from, String to, Path file) {
    }

    private static List<Edge> imports() throws IOException {
        List<Edge> edges = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/mnistxent"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher pm = PACKAGE.matcher(text);
                assertTrue(pm.find(), f + " has no package");
                Matcher im = IMPORT.matcher(text);
                while (im.find()) {
                    String to = im.group(1).isEmpty() ? "" : im.group(1).substring(0, im.group(1).length() - 1);
                    edges.add(new Edge(pm.group(1), to, f));
                }
            }
        }
        return edges;
    }

    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    @Test
    void importsGoDownTheLayers() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Edge e : imports()) {
            String from = top(e.from());
            String to = top(e.to());
            Integer a = LAYER.get(from);
            Integer b = LAYER.get(to);
            assertTrue(a != null && b != null, "a package missing from the layer table: " + e);
            if (!from.equals(to) && b >= a) {
                upward.add(e.file() + ": " + e.from() + " imports " + e.to());
            }
        }
        assertEquals(List.of(), upward);
    }

    @Test
    void theEngineCoresAndTheDataReadersStandBelowTheirPackages() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Edge e : imports()) {
            boolean core = e.from().equals("engine.cuda") || e.from().equals("engine.kernel");
            if (core && e.to().equals("engine")) {
                wrong.add(e.file() + ": the " + e.from() + " core imports the engine interface");
            }
            if (e.from().equals("data") && e.to().equals("data.fetch")) {
                wrong.add(e.file() + ": reading MNIST imports fetching it");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void nothingButTheFeaturesAboveTrainingImportsIt() throws IOException {
        for (Edge e : imports()) {
            if (top(e.to()).equals("train")) {
                assertTrue(List.of("train", "ablation", "portable", "cli").contains(top(e.from())),
                        e.file() + " imports train");
            }
        }
    }
}
