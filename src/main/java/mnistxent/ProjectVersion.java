package mnistxent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project's version and the Deeplearning4j version it was built with, filtered into {@code mnist-xent.properties} by Maven. */
public final class ProjectVersion {

    private static final Properties BUILD = load();

    private ProjectVersion() {
    }

    /** This project's version. */
    public static String get() {
        return BUILD.getProperty("version", "unknown");
    }

    /** The Deeplearning4j (and ND4J) version of the build. */
    public static String dl4j() {
        return BUILD.getProperty("dl4j.version", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = ProjectVersion.class.getResourceAsStream("/mnist-xent.properties")) {
            if (in != null) {
                p.load(in);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
