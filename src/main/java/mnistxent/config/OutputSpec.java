package mnistxent.config;

import java.nio.file.Path;

/** Where run directories are created ({@code <dir>/<name>-<yyyyMMdd-HHmmss>/}). */
public record OutputSpec(Path dir) {
}
