package mnistxent.mavenext;

import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes {@code mvn exec:java} (and {@code mvn -Pcuda exec:java}) compile the project first, as a user
 * expects of a run command: the exec plugin's {@code java} goal runs the compiled classes but never
 * compiles them, so on a fresh clone it fails with ClassNotFoundException (README, "The two commands").
 *
 * <p>A Maven core extension (loaded through {@code -Dmaven.ext.class.path} in {@code .mvn/jvm.config},
 * registered in {@code META-INF/plexus/components.xml}, which Maven 3.8 reads for core extensions): when
 * the session starts, before any project is built, it inserts the {@code compile} phase before the first
 * {@code exec:java} unless a phase that includes compiling comes before it. Every other command line is
 * left exactly as typed.
 */
public final class CompileFirst extends AbstractMavenLifecycleParticipant {

    /** The default lifecycle's phases that run {@code compile} themselves (compile and every later one). */
    private static final Set<String> COMPILING_PHASES = new HashSet<>(Arrays.asList(
            "compile", "process-classes", "generate-test-sources", "process-test-sources",
            "generate-test-resources", "process-test-resources", "test-compile", "process-test-classes", "test",
            "prepare-package", "package", "pre-integration-test", "integration-test", "post-integration-test",
            "verify", "install", "deploy"));

    @Override
    public void afterSessionStart(MavenSession session) {
        MavenExecutionRequest request = session.getRequest();
        List<String> goals = request.getGoals();
        if (goals == null) {
            return;
        }
        List<String> changed = compileFirst(goals);
        if (!changed.equals(goals)) {
            request.setGoals(changed);
        }
    }

    /** {@code goals} with {@code compile} before the first {@code exec:java} that no compiling phase precedes. */
    public static List<String> compileFirst(List<String> goals) {
        for (int i = 0; i < goals.size(); i++) {
            String task = goals.get(i);
            if (COMPILING_PHASES.contains(task)) {
                return goals;
            }
            if (isExecJava(task)) {
                List<String> out = new ArrayList<>(goals);
                out.add(i, "compile");
                return out;
            }
        }
        return goals;
    }

    /** {@code exec:java}, or the plugin's full coordinates with the {@code java} goal, with or without {@code @id}. */
    static boolean isExecJava(String task) {
        String goal = task.contains("@") ? task.substring(0, task.indexOf('@')) : task;
        if (goal.equals("exec:java")) {
            return true;
        }
        String[] parts = goal.split(":");
        return parts.length >= 3 && parts[0].equals("org.codehaus.mojo") && parts[1].equals("exec-maven-plugin")
                && parts[parts.length - 1].equals("java");
    }
}
