package mnistxent.inference;

import mnistxent.config.MnistShape;
import mnistxent.data.IdxRecordReader;
import mnistxent.data.MnistDataVec;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;

import java.nio.file.Path;
import java.util.Locale;

/**
 * DL4J's own classification report on the test set ({@code evaluate --detail}): the 10,000 t10k images fed
 * the way any DL4J program is fed, through DataVec ({@link MnistDataVec}: an IDX record reader read by a
 * stock {@link RecordReaderDataSetIterator}), scored by {@code MultiLayerNetwork.evaluate} into an
 * {@link Evaluation}: per-class precision, recall and F1, and the confusion matrix.
 */
public final class ClassReport {

    /** Images per DataSet: enough to keep ND4J's per-op overhead small, small enough to stay cheap. */
    private static final int BATCH = 1_000;
    private static final int CLASSES = MnistShape.CLASSES;

    private final Evaluation evaluation;

    private ClassReport(Evaluation evaluation) {
        this.evaluation = evaluation;
    }

    /** Evaluates {@code network} on the test set of the verified MNIST directory {@code dataDir}. */
    public static ClassReport of(MultiLayerNetwork network, Path dataDir) {
        IdxRecordReader reader = MnistDataVec.testReader(dataDir);
        try {
            RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(reader, BATCH, 1, CLASSES);
            return new ClassReport(network.evaluate(it));
        } finally {
            reader.close();
        }
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    /** Images DL4J's evaluation counts as correct (its argmax of {@code network.output}). */
    public int correct() {
        return evaluation.truePositives().values().stream().mapToInt(Integer::intValue).sum();
    }

    public int total() {
        return evaluation.getNumRowCounter();
    }

    /** The per-class table, then DL4J's own summary and confusion matrix ({@code Evaluation.stats}). */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append("DL4J Evaluation of the test set (through DataVec): ").append(correct()).append(" / ")
                .append(total()).append(" correct\n");
        out.append("digit  precision  recall      F1  images\n");
        for (int c = 0; c < CLASSES; c++) {
            out.append(String.format(Locale.ROOT, "%5d  %9.4f  %6.4f  %6.4f  %6d%n", c, evaluation.precision(c),
                    evaluation.recall(c), evaluation.f1(c), evaluation.classCount(c)));
        }
        out.append(evaluation.stats(false, true).strip()).append('\n');
        return out.toString();
    }
}
