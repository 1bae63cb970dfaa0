package mnistxent.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM settings live in four places that must agree: mvn exec:java (.mvn/jvm.config), the tests (surefire's
 * argLine), the launcher (bin/mnist-xent) and bench's forks.
 */
class JvmLaunchTest {

    @Test
    void benchForksWithTheSameJvmSettingsAsMvnExecJava() throws Exception {
        List<String> jvmConfig = Arrays.asList(Files.readString(Path.of(".mvn/jvm.config")).trim().split("\\s+"));
        // .mvn/jvm.config also loads the compile-first extension into Maven (README, "The two commands").
        assertEquals(JvmLaunch.APPLICATION_JVM_FLAGS, jvmConfig.subList(0, jvmConfig.size() - 1));
        assertEquals("-Dmaven.ext.class.path=.mvn/compile-first.jar", jvmConfig.get(jvmConfig.size() - 1));
    }

    @Test
    void theTestsAndTheLauncherRunWithTheSameJvmSettings() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String flags = pom.substring(pom.indexOf("<app.jvm.flags>") + 15, pom.indexOf("</app.jvm.flags>"));
        assertEquals(String.join(" ", JvmLaunch.APPLICATION_JVM_FLAGS), flags);
        assertTrue(pom.contains("<argLine>${app.jvm.flags}</argLine>"), "surefire's argLine");
        assertTrue(Files.readString(Path.of("src/main/launcher/mnist-xent")).contains("exec \"$java\" @app.jvm.flags@ "),
                "the launcher's");
    }

    @Test
    void theForkedCommandRunsThisApplication() {
        List<String> cmd = JvmLaunch.command("mnistxent.cli.Main", List.of("--version"));
        assertTrue(cmd.get(0).endsWith("/bin/java"));
        assertEquals("mnistxent.cli.Main", cmd.get(cmd.size() - 2));
        String classpath = cmd.get(cmd.indexOf("-cp") + 1);
        assertTrue(!classpath.isBlank(), "a classpath");
    }
}
