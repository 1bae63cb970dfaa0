package mnistxent.run;

import mnistxent.data.TfBatcher;
import mnistxent.random.SeededRandom;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link TrainingState} inside a model zip ({@value ModelFile#STATE_ENTRY}):
 * a magic number and a format version, then the fields in declaration order, big-endian
 * ({@link DataOutputStream}). Exact: doubles and the random state round-trip bit for bit, which is
 * what makes a resumed run equal a straight one.
 */
final class TrainingStateCodec {

    private static final int MAGIC = 0x4D58_5453;   // "MXTS"
    private static final int VERSION = 1;
    private static final int MAX_POOL = 10_000_000;
    private static final int MAX_HISTORY = 1_000_000;

    private TrainingStateCodec() {
    }

    static void write(TrainingState s, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(s.epochsCompleted());
        out.writeInt(s.stepInEpoch());
        out.writeLong(s.stepsDone());
        out.writeDouble(s.epochLossSum());
        out.writeDouble(s.epochSeconds());
        out.writeInt(s.best());
        out.writeInt(s.history().size());
        for (EpochResult r : s.history()) {
            out.writeInt(r.epoch());
            out.writeLong(r.steps());
            out.writeDouble(r.meanTrainLoss());
            out.writeInt(r.testCorrect());
            out.writeInt(r.testCount());
            out.writeDouble(r.validationAccuracy());
            out.writeDouble(r.seconds());
        }
        TfBatcher.State b = s.batcher();
        out.writeInt(b.poolStart());
        out.writeInt(b.batchSize());
        int[] order = b.order();
        out.writeInt(order.length);
        for (int v : order) {
            out.writeInt(v);
        }
        out.writeInt(b.position());
        out.writeLong(b.epochsCompleted());
        out.writeBoolean(b.started());
        SeededRandom.State r = b.random();
        for (long w : r.words()) {
            out.writeLong(w);
        }
        out.writeDouble(r.cachedGaussian());
        out.writeBoolean(r.hasCachedGaussian());
    }

    static TrainingState read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a training state (bad magic number)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("training state format " + version + " (this version reads " + VERSION + ")");
        }
        int epochsCompleted = in.readInt();
        int stepInEpoch = in.readInt();
        long stepsDone = in.readLong();
        double epochLossSum = in.readDouble();
        double epochSeconds = in.readDouble();
        int best = in.readInt();
        int historySize = bounded(in.readInt(), MAX_HISTORY, "history length");
        List<EpochResult> history = new ArrayList<>(historySize);
        for (int i = 0; i < historySize; i++) {
            history.add(new EpochResult(in.readInt(), in.readLong(), in.readDouble(), in.readInt(), in.readInt(),
                    in.readDouble(), in.readDouble()));
        }
        int poolStart = in.readInt();
        int batchSize = in.readInt();
        int[] order = new int[bounded(in.readInt(), MAX_POOL, "pool size")];
        for (int i = 0; i < order.length; i++) {
            order[i] = in.readInt();
        }
        int position = in.readInt();
        long batcherEpochs = in.readLong();
        boolean started = in.readBoolean();
        long[] words = {in.readLong(), in.readLong(), in.readLong(), in.readLong()};
        double cached = in.readDouble();
        boolean hasCached = in.readBoolean();
        if (in.read() != -1) {
            throw new IOException("trailing bytes after the training state");
        }
        try {
            TfBatcher.State batcher = new TfBatcher.State(poolStart, batchSize, order, position, batcherEpochs,
                    started, new SeededRandom.State(words, cached, hasCached));
            return new TrainingState(epochsCompleted, stepInEpoch, stepsDone, epochLossSum, epochSeconds, best,
                    history, batcher);
        } catch (IllegalArgumentException e) {
            throw new IOException("inconsistent training state: " + e.getMessage(), e);
        }
    }

    private static int bounded(int n, int max, String what) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException(what + " out of range: " + n);
        }
        return n;
    }
}
