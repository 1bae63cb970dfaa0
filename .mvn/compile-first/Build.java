import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Builds .mvn/compile-first.jar, the Maven core extension that makes `mvn exec:java` compile first, from
 * .mvn/compile-first/src (README, "The two commands"). Run from the project root:
 *
 *   java .mvn/compile-first/Build.java           rewrites the jar
 *   java .mvn/compile-first/Build.java --check   exits 1, naming the command above, unless the jar holds
 *                                                exactly what the sources compile to
 *
 * The output depends only on the sources, the JDK's javac and Maven's API: entries sorted, fixed times, so
 * that the check (run by the tests) can compare entry by entry. Maven's API comes from Maven's own lib/
 * (-Dmaven.home, else $MAVEN_HOME, else the mvn on the PATH).
 */
public final class Build {

    static final Path HERE = Path.of(".mvn", "compile-first");
    static final Path SOURCES = HERE.resolve("src");
    static final Path JAR = Path.of(".mvn", "compile-first.jar");
    static final String COMMAND = "java .mvn/compile-first/Build.java";
    /** The zip entries' time: fixed, local (no time zone), so that the jar is the same wherever it is built. */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    public static void main(String[] args) throws Exception {
        boolean check = Arrays.asList(args).contains("--check");
        Map<String, byte[]> built = build(mavenLib());
        if (check) {
            Map<String, byte[]> committed = read(JAR);
            List<String> differ = new ArrayList<>();
            for (String name : union(built, committed)) {
                if (!Arrays.equals(built.get(name), committed.get(name))) {
                    differ.add(name + (committed.containsKey(name) ? built.containsKey(name) ? " (differs)"
                            : " (not in the sources)" : " (missing from the jar)"));
                }
            }
            if (!differ.isEmpty()) {
                System.err.println(JAR + " does not match " + SOURCES + ": " + String.join(", ", differ)
                        + "; rebuild it with: " + COMMAND);
                System.exit(1);
            }
            System.out.println(JAR + " matches " + SOURCES + " (" + built.size() + " entries)");
            return;
        }
        write(JAR, built);
        System.out.println("wrote " + JAR + " (" + built.size() + " entries)");
    }

    /** The jar's entries: the compiled classes and every non-Java file of the sources, by name. */
    static Map<String, byte[]> build(Path mavenLib) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        Path classes = Files.createTempDirectory("compile-first");
        try {
            List<String> javaFiles;
            try (Stream<Path> files = Files.walk(SOURCES)) {
                javaFiles = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted()
                        .collect(Collectors.toList());
            }
            List<String> options = new ArrayList<>(List.of("--release", "8", "-encoding", "UTF-8", "-proc:none",
                    "-implicit:none", "-Xlint:-options", "-classpath", classpath(mavenLib), "-d", classes.toString()));
            options.addAll(javaFiles);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null || javac.run(null, null, null, options.toArray(new String[0])) != 0) {
                throw new IllegalStateException("javac failed (a JDK is needed, and Maven's lib/ at " + mavenLib + ")");
            }
            collect(classes, entries, f -> true);
            collect(SOURCES, entries, f -> !f.toString().endsWith(".java"));
        } finally {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                    Files.delete(f);
                }
            }
        }
        return entries;
    }

    /** Maven's jars, listed (javac, unlike the java launcher, does not expand {@code lib/*}). */
    private static String classpath(Path mavenLib) throws IOException {
        try (Stream<Path> jars = Files.list(mavenLib)) {
            return jars.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted()
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
    }

    private static void collect(Path root, Map<String, byte[]> into, java.util.function.Predicate<Path> keep)
            throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(keep).collect(Collectors.toList())) {
                into.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
    }

    static void write(Path jar, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        if (!Files.isRegularFile(jar)) {
            return entries;
        }
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), zip.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static List<String> union(Map<String, byte[]> a, Map<String, byte[]> b) {
        TreeMap<String, Boolean> all = new TreeMap<>();
        a.keySet().forEach(k -> all.put(k, true));
        b.keySet().forEach(k -> all.put(k, true));
        return new ArrayList<>(all.keySet());
    }

    /** Maven's lib/ directory, whose jars hold the API the extension compiles against. */
    static Path mavenLib() throws IOException, InterruptedException {
        String home = System.getProperty("maven.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("MAVEN_HOME");
        }
        if (home == null || home.isBlank()) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path mvn = Path.of(dir, "mvn");
                if (Files.isExecutable(mvn)) {
                    home = mvn.toRealPath().getParent().getParent().toString();
                    break;
                }
            }
        }
        if (home == null || !Files.isDirectory(Path.of(home, "lib"))) {
            throw new IllegalStateException("cannot find Maven's lib/ directory: set MAVEN_HOME");
        }
        return Path.of(home, "lib");
    }
}
