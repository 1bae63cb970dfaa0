package mnistxent.cli;

import mnistxent.engine.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The commands the CLI prints for the user to run (resume a run, repair the data): in the form the user
 * started the application with, quoted so that a shell runs exactly these arguments, whatever characters a
 * path holds (README, "Command-line reference").
 *
 * <p>Started by the launcher ({@code bin/mnist-xent}, which says so in the system property
 * {@value #LAUNCHER_PROPERTY}), a command is {@code bin/mnist-xent ARGS}; otherwise (under
 * {@code mvn exec:java}) it is {@code mvn exec:java -Dexec.args="ARGS"}, where ARGS are quoted twice: for
 * the exec plugin, which splits {@code exec.args} at spaces and honours single and double quotes (no
 * escapes), and then for the shell.
 */
final class CommandHints {

    /** Set by the launcher script to the path it was started as. */
    static final String LAUNCHER_PROPERTY = "mnistxent.launcher";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CommandHints() {
    }

    /** The command that runs the application with {@code args}. */
    static String app(String... args) {
        return app(Arrays.asList(args));
    }

    static String app(List<String> args) {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        if (launcher != null && !launcher.isBlank()) {
            List<String> words = new ArrayList<>();
            words.add(launcher);
            words.addAll(args);
            return shellWords(words);
        }
        return maven(args);
    }

    /** {@code mvn exec:java} running the application with {@code args} (works from a fresh clone). */
    static String maven(List<String> args) {
        // The CUDA build's classpath is -Pcuda's: the command must be run with it again.
        return "mvn " + (Backend.cudaOnClasspath() ? "-Pcuda " : "") + "exec:java -Dexec.args=" + shell(execArgs(args));
    }

    /** Whether the application was started by the launcher (rather than by Maven). */
    static boolean launcher() {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        return launcher != null && !launcher.isBlank();
    }

    /** Words for a POSIX shell, each quoted only where needed. */
    static String shellWords(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            quoted.add(shell(w));
        }
        return String.join(" ", quoted);
    }

    /**
     * One word for a POSIX shell: as it is when it holds only characters no shell treats specially; in
     * double quotes when only spaces and single quotes need protecting (easier to read); else in single
     * quotes, a single quote written as {@code '\''}.
     */
    static String shell(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        if (!word.isEmpty() && word.chars().noneMatch(c -> c == '"' || c == '$' || c == '`' || c == '\\' || c == '!')) {
            return "\"" + word + "\"";
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * {@code args} as one {@code exec.args} value: the exec plugin's splitter knows single and double quotes
     * but no escapes, so a word holding both kinds is written as quoted pieces, which it joins.
     */
    static String execArgs(List<String> args) {
        List<String> quoted = new ArrayList<>();
        for (String a : args) {
            if (!a.isEmpty() && SAFE.matcher(a).matches()) {
                quoted.add(a);
            } else if (a.indexOf('\'') < 0) {
                quoted.add("'" + a + "'");
            } else if (a.indexOf('"') < 0) {
                quoted.add("\"" + a + "\"");
            } else {
                // Pieces without a double quote go in double quotes; each double quote in single quotes.
                StringBuilder b = new StringBuilder();
                String[] pieces = a.split("\"", -1);
                for (int i = 0; i < pieces.length; i++) {
                    if (i > 0) {
                        b.append("'\"'");
                    }
                    if (!pieces[i].isEmpty()) {
                        b.append('"').append(pieces[i]).append('"');
                    }
                }
                quoted.add(b.toString());
            }
        }
        return String.join(" ", quoted);
    }
}
