package mnistxent.data.fetch;

import mnistxent.config.DataSpec;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Chooses the MNIST directory. Precedence, most specific first:
 * <ol>
 *   <li>the CLI's {@code --data-dir} (when a command has one);</li>
 *   <li>the system property {@value #PROPERTY} ({@code -Dmnistxent.data.dir=...}, which also reaches the
 *       program under {@code mvn exec:java});</li>
 *   <li>the environment variable {@value #ENV};</li>
 *   <li>the config's {@code data.dir};</li>
 *   <li>the per-user cache {@code ${XDG_CACHE_HOME:-$HOME/.cache}/mnist-xent/mnist}, so every checkout
 *       and every run of one user shares one download.</li>
 * </ol>
 * Empty values count as unset. A leading {@code ~/} is expanded (a shell does not do it inside
 * {@code -Dkey=~/dir}); relative paths are taken from the working directory.
 */
public final class DataLocator {

    public static final String PROPERTY = "mnistxent.data.dir";
    public static final String ENV = "MNIST_XENT_DATA";

    private DataLocator() {
    }

    /** The directory for this config, honouring the property and the environment. */
    public static DataDir locate(DataSpec spec) {
        return locate(null, spec);
    }

    /** As {@link #locate(DataSpec)}, with a command-line override that beats everything ({@code null}: none). */
    public static DataDir locate(Path cliOverride, DataSpec spec) {
        return locate(cliOverride, spec == null ? null : spec.dir(), System::getProperty, System::getenv);
    }

    /** The rule itself, with the property and environment lookups passed in (for tests). */
    static DataDir locate(Path cliOverride, Path configDir, UnaryOperator<String> properties,
                          UnaryOperator<String> env) {
        String home = home(properties, env);
        if (cliOverride != null) {
            return new DataDir(expand(cliOverride.toString(), home), "option --data-dir");
        }
        String prop = properties.apply(PROPERTY);
        if (isSet(prop)) {
            return new DataDir(expand(prop, home), "system property " + PROPERTY);
        }
        String fromEnv = env.apply(ENV);
        if (isSet(fromEnv)) {
            return new DataDir(expand(fromEnv, home), "environment variable " + ENV);
        }
        if (configDir != null) {
            return new DataDir(expand(configDir.toString(), home), "config data.dir");
        }
        return new DataDir(defaultDir(properties, env), "the default per-user cache directory");
    }

    /** Whether {@code dir} is the default per-user directory (the one chosen when nothing else is set). */
    public static boolean isDefault(Path dir) {
        return dir.toAbsolutePath().normalize().equals(
                defaultDir(System::getProperty, System::getenv).toAbsolutePath().normalize());
    }

    /** {@code ${XDG_CACHE_HOME:-$HOME/.cache}/mnist-xent/mnist}. */
    static Path defaultDir(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String xdg = env.apply("XDG_CACHE_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        Path cache = isSet(xdg) && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(home(properties, env), ".cache");
        return cache.resolve("mnist-xent").resolve("mnist");
    }

    private static String home(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String home = env.apply("HOME");
        return isSet(home) ? home : properties.apply("user.home");
    }

    private static Path expand(String dir, String home) {
        if (dir.equals("~")) {
            return Path.of(home);
        }
        return dir.startsWith("~/") ? Path.of(home, dir.substring(2)) : Path.of(dir);
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }
}
