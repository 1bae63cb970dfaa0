package mnistxent.train;

import mnistxent.model.LayerParameters;
import mnistxent.run.EpochResult;
import mnistxent.run.TrainingState;

import java.io.PrintWriter;
import java.util.List;

/**
 * The seed script's standard output, and nothing else: {@code Epoch N: C / 10000} after each epoch and
 * {@code best: C / 10000} at the end (SPEC §6), so that the two programs' outputs can be compared line for
 * line. A stopped run prints no {@code best:} line (its resumed run does).
 */
public final class ScriptLines implements TrainingListener {

    private final PrintWriter out;
    private int testCount;

    public ScriptLines(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStart(TrainingState state) {
        if (!state.history().isEmpty()) {
            testCount = state.history().get(state.history().size() - 1).testCount();
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest,
                           List<LayerParameters> parameters) {
        testCount = result.testCount();
        out.println(result.scriptLine());
        out.flush();
    }

    @Override
    public void onFinish(TrainingState state, boolean stopped) {
        if (!stopped) {
            out.println("best: " + state.best() + " / " + testCount);
            out.flush();
        }
    }
}
