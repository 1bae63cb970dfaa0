package mnistxent.data.fetch;

import mnistxent.config.ConfigLoader;
import mnistxent.config.DataSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLocatorTest {

    private final Map<String, String> props = new HashMap<>(Map.of("user.home", "/home/prop"));
    private final Map<String, String> env = new HashMap<>(Map.of("HOME", "/home/env"));

    private DataDir locate(Path cli, Path config) {
        return DataLocator.locate(cli, config, props::get, env::get);
    }

    @Test
    void precedenceIsOptionThenPropertyThenEnvironmentThenConfigThenCache() {
        props.put(DataLocator.PROPERTY, "/from/property");
        env.put(DataLocator.ENV, "/from/env");
        Path config = Path.of("/from/config");

        assertEquals(new DataDir(Path.of("/from/option"), "option --data-dir"), locate(Path.of("/from/option"), config));
        assertEquals(Path.of("/from/property"), locate(null, config).path());
        assertEquals("system property mnistxent.data.dir", locate(null, config).origin());

        props.remove(DataLocator.PROPERTY);
        assertEquals(Path.of("/from/env"), locate(null, config).path());
        assertEquals("environment variable MNIST_XENT_DATA", locate(null, config).origin());

        env.remove(DataLocator.ENV);
        assertEquals(Path.of("/from/config"), locate(null, config).path());
        assertEquals("config data.dir", locate(null, config).origin());

        assertEquals(Path.of("/home/env/.cache/mnist-xent/mnist"), locate(null, null).path());
        assertTrue(locate(null, null).origin().contains("default"));
    }

    @Test
    void blankValuesCountAsUnset() {
        props.put(DataLocator.PROPERTY, "");
        env.put(DataLocator.ENV, "  ");
        assertEquals(Path.of("/from/config"), locate(null, Path.of("/from/config")).path());
    }

    @Test
    void theDefaultFollowsXdgCacheHome() {
        env.put("XDG_CACHE_HOME", "/xdg/cache");
        assertEquals(Path.of("/xdg/cache/mnist-xent/mnist"), locate(null, null).path());
        env.put("XDG_CACHE_HOME", "relative/cache"); // invalid per the XDG spec: ignored
        assertEquals(Path.of("/home/env/.cache/mnist-xent/mnist"), locate(null, null).path());
        env.remove("XDG_CACHE_HOME");
        env.remove("HOME");
        assertEquals(Path.of("/home/prop/.cache/mnist-xent/mnist"), locate(null, null).path());
    }

    @Test
    void expandsATildeAndMakesRelativePathsAbsolute() {
        props.put(DataLocator.PROPERTY, "~/mnist");
        assertEquals(Path.of("/home/env/mnist"), locate(null, null).path());
        props.put(DataLocator.PROPERTY, "rel/dir");
        assertEquals(Path.of("rel/dir").toAbsolutePath().normalize(), locate(null, null).path());
    }

    @Test
    void thePublicEntryPointHonoursTheSystemProperty() {
        String old = System.getProperty(DataLocator.PROPERTY);
        try {
            System.setProperty(DataLocator.PROPERTY, "/tmp/some-mnist-dir");
            DataSpec spec = new DataSpec(Path.of("/from/config"), 5000, ConfigLoader.DEFAULT_MIRRORS);
            assertEquals(Path.of("/tmp/some-mnist-dir"), DataLocator.locate(spec).path());
            assertEquals(Path.of("/cli"), DataLocator.locate(Path.of("/cli"), spec).path());
        } finally {
            if (old == null) {
                System.clearProperty(DataLocator.PROPERTY);
            } else {
                System.setProperty(DataLocator.PROPERTY, old);
            }
        }
    }
}
