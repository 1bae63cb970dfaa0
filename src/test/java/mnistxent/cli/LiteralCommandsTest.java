package mnistxent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's literal commands (README, "The two commands"): {@code mvn exec:java} compiles first on a fresh
 * clone, through the core extension {@code .mvn/compile-first.jar}, which is exactly what its committed
 * sources compile to; and the commands the CLI prints for the user reach the program with exactly the
 * arguments they name, through the shell and the exec plugin.
 */
class LiteralCommandsTest {

    private static final Path JAR = Path.of(".mvn", "compile-first.jar");

    /** Runs a command in {@code dir}; returns exit code, stdout and stderr. */
    private record Ran(int code, String out, String err) {
    }

    private static Ran run(Path dir, List<String> command) throws Exception {
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toAbsolutePath().toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + command);
            return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String mavenHome() {
        String home = System.getProperty("maven.home");
        assertTrue(home != null && Files.isDirectory(Path.of(home, "lib")), "surefire passes maven.home: " + home);
        return home;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void theCommittedExtensionIsWhatItsSourcesCompileTo() throws Exception {
        Ran check = run(Path.of(""), List.of(java(), "-Dmaven.home=" + mavenHome(), ".mvn/compile-first/Build.java",
                "--check"));
        assertEquals(0, check.code(), check.out() + check.err());
        assertTrue(check.out().contains(".mvn/compile-first.jar matches .mvn/compile-first/src"), check.out());
    }

    @Test
    void theCheckFailsAndNamesTheRebuildCommandWhenTheSourcesChange(@TempDir Path tmp) throws Exception {
        copyTree(Path.of(".mvn"), tmp.resolve(".mvn"));
        Path source = tmp.resolve(".mvn/compile-first/src/mnistxent/mavenext/CompileFirst.java");
        String text = Files.readString(source);
        Files.writeString(source, text.replace("\"verify\", \"install\", \"deploy\"", "\"verify\", \"install\""));
        Ran check = run(tmp, List.of(java(), "-Dmaven.home=" + mavenHome(), ".mvn/compile-first/Build.java",
                "--check"));
        assertEquals(1, check.code(), check.out() + check.err());
        assertTrue(check.err().contains("mnistxent/mavenext/CompileFirst.class (differs)"), check.err());
        assertTrue(check.err().contains("rebuild it with: java .mvn/compile-first/Build.java"), check.err());
    }

    @Test
    void compileIsAddedBeforeABareExecJavaAndNothingElseChanges() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(JAR.toUri().toURL());
        try (Stream<Path> jars = Files.list(Path.of(mavenHome(), "lib"))) {
            for (Path j : jars.filter(f -> f.toString().endsWith(".jar")).toList()) {
                urls.add(j.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            Method rule = loader.loadClass("mnistxent.mavenext.CompileFirst").getMethod("compileFirst", List.class);
            assertEquals(List.of("compile", "exec:java"), rule.invoke(null, List.of("exec:java")));
            assertEquals(List.of("clean", "compile", "exec:java"), rule.invoke(null, List.of("clean", "exec:java")));
            assertEquals(List.of("compile", "org.codehaus.mojo:exec-maven-plugin:3.5.1:java"),
                    rule.invoke(null, List.of("org.codehaus.mojo:exec-maven-plugin:3.5.1:java")));
            List<List<String>> leftAlone = List.of(List.of("compile", "exec:java"), List.of("package", "exec:java"),
                    List.of("verify"), List.of("exec:exec"), List.of("dependency:tree"), List.of());
            for (List<String> unchanged : leftAlone) {
                assertEquals(unchanged, rule.invoke(null, unchanged), "left as typed: " + unchanged);
            }
        }
    }

    @Test
    void theProjectLoadsTheExtensionAndTheReadmeSaysTheLiteralCommands() throws Exception {
        List<String> jvmConfig = List.of(Files.readString(Path.of(".mvn/jvm.config")).trim().split("\\s+"));
        assertTrue(jvmConfig.contains("-Dmaven.ext.class.path=" + JAR), jvmConfig.toString());
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("```\nmvn exec:java\nmvn -B verify\n```"), "README's two commands");
        assertTrue(Files.readString(Path.of(".ci/run")).lines().anyMatch(l -> l.equals("mvn -B verify")),
                ".ci/run runs README's test command");
    }

    /**
     * On a fresh project (nothing compiled), {@code mvn exec:java} with the project's extension compiles and
     * runs; the program receives exactly the arguments of a command {@link CommandHints} printed, however
     * odd the characters of a path.
     */
    @Test
    void mvnExecJavaCompilesFirstAndAPrintedCommandPassesItsArgumentsExactly(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve(".mvn"));
        Files.writeString(tmp.resolve(".mvn/jvm.config"), "-Dmaven.ext.class.path=" + JAR.toAbsolutePath() + "\n");
        Files.writeString(tmp.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>t</groupId><artifactId>echo</artifactId><version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <build><plugins>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId>
                      <version>3.13.0</version></plugin>
                    <plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId>
                      <version>3.5.1</version><configuration><mainClass>t.Echo</mainClass></configuration></plugin>
                  </plugins></build>
                </project>
                """);
        Path src = tmp.resolve("src/main/java/t");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Echo.java"), """
                package t;
                public class Echo {
                    public static void main(String[] args) {
                        for (String a : args) {
                            System.out.println("[" + a + "]");
                        }
                    }
                }
                """);
        List<String> args = List.of("train", "--resume", "/tmp/my runs/it's \"here\" $HOME `x` \\n/checkpoint.zip");
        String hint = CommandHints.maven(args);
        assertTrue(hint.startsWith("mvn exec:java -Dexec.args="), hint);
        String mvn = Path.of(mavenHome(), "bin", "mvn") + " -o -q -B -Dmaven.repo.local="
                + System.getProperty("maven.repo.local");
        Ran ran = run(tmp, List.of("bash", "-c", mvn + hint.substring("mvn".length())));
        assertEquals(0, ran.code(), ran.out() + ran.err());
        List<String> received = ran.out().lines().map(l -> l.replace("\u001b[0m", ""))
                .filter(l -> l.startsWith("[")).map(l -> l.substring(1, l.length() - 1)).toList();
        assertEquals(args, received, "arguments through the shell and exec.args; stdout: " + ran.out());
        assertTrue(Files.isRegularFile(tmp.resolve("target/classes/t/Echo.class")), "compiled by mvn exec:java");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
