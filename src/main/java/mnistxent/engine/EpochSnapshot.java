package mnistxent.engine;

import mnistxent.model.LayerParameters;

import java.util.List;

/**
 * An engine's parameters at the end of an epoch, and how many test and validation images they classify
 * correctly. Taken by {@link TrainingEngine#snapshot}; an engine that can count them on another thread while
 * it trains on says so ({@link #countsLater}), and the trainer then ends the epoch beside the next one
 * (README, Performance, "Epoch ends").
 */
public interface EpochSnapshot {

    /** The parameters at the snapshot, TF's names, shapes and layout. */
    List<LayerParameters> parameters();

    /** How many test images the snapshot's parameters classify correctly (argmax, SPEC §6). */
    int correctOnTest();

    /** How many validation images they classify correctly (0 when there are none). */
    int correctOnValidation();

    /**
     * True when the counts are computed on the first call, from a copy of the parameters, and may be asked
     * for on another thread while the engine trains on; false when they were taken at the snapshot.
     */
    boolean countsLater();

    /** A snapshot whose counts were taken with it. */
    static EpochSnapshot counted(List<LayerParameters> parameters, int correctOnTest, int correctOnValidation) {
        return new Counted(List.copyOf(parameters), correctOnTest, correctOnValidation);
    }

    /** {@link #counted}'s snapshot. */
    record Counted(List<LayerParameters> parameters, int correctOnTest, int correctOnValidation)
            implements EpochSnapshot {

        @Override
        public boolean countsLater() {
            return false;
        }
    }
}
