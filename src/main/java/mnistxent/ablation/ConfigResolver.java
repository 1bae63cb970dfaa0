package mnistxent.ablation;

import mnistxent.UserError;
import mnistxent.config.ConfigLoader;
import mnistxent.config.ExperimentConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns the ablation's {@code --configs} arguments into configs: a bare name such as
 * {@code tf12-quadratic} means {@code config/tf12-quadratic.yaml}; anything that looks like a
 * file ({@code .yaml}/{@code .yml}, or a path with a directory) is read as it is.
 */
public final class ConfigResolver {

    /** The shipped configs of the comparison in docs/SPEC.md §8: the two scripts, and each with scaled weights. */
    public static final List<String> DEFAULT_CONFIGS = List.of("tf14-cross-entropy", "tf12-quadratic",
            "tf15-cross-entropy-scaled-init", "tf15-quadratic-scaled-init");

    private final Path configDir;

    public ConfigResolver(Path configDir) {
        this.configDir = configDir;
    }

    /** Loads every argument (bad ones: a one-line {@link UserError}); two configs may not share a name. */
    public List<ExperimentConfig> resolve(List<String> namesOrPaths) {
        List<ExperimentConfig> configs = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (String arg : namesOrPaths) {
            Path file = locate(arg.strip());
            ExperimentConfig config = ConfigLoader.load(file);
            Path earlier = seen.putIfAbsent(config.name(), file);
            if (earlier != null) {
                throw new UserError("two configs are named '" + config.name() + "' (" + earlier + ", " + file
                        + "): their runs would share one directory; give each its own name");
            }
            configs.add(config);
        }
        return configs;
    }

    /** The file an argument names. */
    Path locate(String arg) {
        if (arg.isEmpty()) {
            throw new UserError("an empty config name in --configs");
        }
        if (arg.endsWith(".yaml") || arg.endsWith(".yml") || arg.contains("/") || arg.contains("\\")) {
            return Path.of(arg);
        }
        Path file = configDir.resolve(arg + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new UserError("unknown config '" + arg + "': there is no " + file + "; known: "
                    + String.join(", ", knownNames()) + " (or give the path of a .yaml file)");
        }
        return file;
    }

    /** Names of the experiment configs in the config directory (not the single-neuron one). */
    List<String> knownNames() {
        if (!Files.isDirectory(configDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(configDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
                    .filter(ConfigResolver::isExperimentConfig)
                    .map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", ""))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isExperimentConfig(Path file) {
        try {
            ConfigLoader.load(file);
            return true;
        } catch (UserError e) {
            return false;
        }
    }
}
