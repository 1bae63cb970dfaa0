package mnistxent.cli;

import picocli.CommandLine;

import java.nio.file.Path;

/**
 * The project's own files that options default to (the shipped configs, the TensorFlow reference), found in
 * the project whatever the working directory: the launcher and {@code mvn exec:java} both say where the
 * project is, in the system property {@value #HOME_PROPERTY} (README, "The launcher"). A path the user gives
 * is taken from the working directory, as usual.
 */
final class ProjectFiles implements CommandLine.IDefaultValueProvider {

    static final String HOME_PROPERTY = "mnistxent.home";

    /** Option defaults that are paths into the project. */
    private static final String CONFIG_DIR = "config";
    private static final String TF_REFERENCE = "tf-reference";

    /** The project's directory: {@value #HOME_PROPERTY}, else the working directory. */
    static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        return home == null || home.isBlank() ? Path.of("") : Path.of(home);
    }

    /** {@code relative} (e.g. {@code config/tf14-cross-entropy.yaml}) in the project. */
    static Path resolve(String relative) {
        return home().resolve(relative);
    }

    /** The shipped configs' directory. */
    static Path configDir() {
        return resolve(CONFIG_DIR);
    }

    /** An option whose default is a path into the project defaults to that path in the project. */
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        String given = arg.defaultValue();
        if (given == null || System.getProperty(HOME_PROPERTY) == null) {
            return null;
        }
        if (given.startsWith(CONFIG_DIR + "/") || given.equals(TF_REFERENCE)) {
            return resolve(given).toString();
        }
        return null;
    }
}
