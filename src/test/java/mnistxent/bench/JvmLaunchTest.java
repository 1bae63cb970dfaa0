package mnistxent.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM settings live in three places that must agree: mvn exec:java, the tests, and bench's forks. */
class JvmLaunchTest {

    @Test
    void benchForksWithTheSameJvmSettingsAsMvnExecJava() throws Exception {
        List<String> jvmConfig = Arrays.asList(Files.readString(Path.of(".mvn/jvm.config")).trim().split("\\s+"));
        assertEquals(JvmLaunch.APPLICATION_JVM_FLAGS, jvmConfig);
    }

    @Test
    void theTestsRunWithTheSameJvmSettings() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String argLine = pom.substring(pom.indexOf("<argLine>") + 9, pom.indexOf("</argLine>"));
        assertTrue(argLine.contains(String.join(" ", JvmLaunch.APPLICATION_JVM_FLAGS)), argLine);
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
