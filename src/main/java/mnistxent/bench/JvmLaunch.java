package mnistxent.bench;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start another JVM running this application, for measurements that need a process of
 * their own (peak memory, whole-job wall time): the same java, the application's JVM settings
 * (those of {@code .mvn/jvm.config}, which {@code mvn exec:java} runs with) and its classpath.
 */
public final class JvmLaunch {

    /**
     * The JVM settings the application runs with; kept equal to {@code .mvn/jvm.config} and to
     * surefire's argLine by a test. Why each: the kernel's SIMD API; heap head-room; the serial
     * collector (training allocates next to nothing, and G1's own threads and barriers cost the whole job
     * ~0.3 s on two cores); the kernel's methods compiled by the JIT after 3% of the usual calls (until
     * then its SIMD code runs ~100 times slower, and the whole job waited ~0.4 s for it; {@code quiet}: the
     * JVM would otherwise announce the setting on stdout); JavaCPP's per-allocation /proc reads off
     * (README, Performance).
     */
    public static final List<String> APPLICATION_JVM_FLAGS = List.of(
            "--add-modules", "jdk.incubator.vector",
            "-Xmx4g",
            "-XX:+UseSerialGC",
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,mnistxent.engine.kernel.*::*,0.03",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
            "-Dorg.bytedeco.javacpp.maxbytes=0");

    private JvmLaunch() {
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * This application's classpath. Under {@code mvn exec:java} the classes come from the exec
     * plugin's own class loader, not from {@code java.class.path} (which is Maven's launcher).
     */
    public static String applicationClasspath() {
        ClassLoader loader = JvmLaunch.class.getClassLoader();
        List<String> entries = new ArrayList<>();
        while (loader != null) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(new File(url.toURI()).getPath());
                        } catch (java.net.URISyntaxException e) {
                            entries.add(url.getPath());
                        }
                    }
                }
            }
            if (!entries.isEmpty()) {
                break;
            }
            loader = loader.getParent();
        }
        return entries.isEmpty() ? System.getProperty("java.class.path") : String.join(File.pathSeparator, entries);
    }

    /** {@code java <flags> -cp <classpath> <mainClass> <args>}. */
    public static List<String> command(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(APPLICATION_JVM_FLAGS);
        cmd.add("-cp");
        cmd.add(applicationClasspath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
