package mnistxent.config;

import mnistxent.UserError;

/**
 * A config file that cannot be used. The message is one line:
 * {@code file:line:column: key.path: what is wrong; what is allowed}.
 */
public final class ConfigException extends UserError {

    private final String file;
    private final int line;
    private final int column;
    private final String keyPath;
    private final String problem;

    public ConfigException(String file, int line, int column, String keyPath, String problem) {
        super(format(file, line, column, keyPath, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.keyPath = keyPath;
        this.problem = problem;
    }

    private static String format(String file, int line, int column, String keyPath, String problem) {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line).append(':').append(column);
        }
        b.append(": ");
        if (keyPath != null && !keyPath.isEmpty()) {
            b.append(keyPath).append(": ");
        }
        return b.append(problem).toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is not at one place of the file. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when the problem is not at one place of the file. */
    public int column() {
        return column;
    }

    public String keyPath() {
        return keyPath;
    }

    public String problem() {
        return problem;
    }
}
