package mnistxent.neuron;

import mnistxent.config.LossKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slowdown map: its scalar neuron trains as the DL4J neuron does, and the map says what the article says. */
class SlowdownMapTest {

    private static final NeuronConfig ARTICLE = NeuronConfigLoader.load(Path.of("config/neuron.yaml"));

    @Test
    void theScalarNeuronHalvesItsCostWhenTheDl4jNeuronDoes() {
        for (CostSpec cost : ARTICLE.costs()) {
            for (Start start : ARTICLE.starts()) {
                Trajectory dl4j = NeuronExperiment.train(cost, start, ARTICLE.input(), ARTICLE.target(), 300);
                int scalar = new ScalarNeuron(cost, ARTICLE.input(), ARTICLE.target())
                        .epochsToHalve(start.w(), start.b(), 300);
                assertEquals(dl4j.epochCostHalved().orElse(-1), scalar, cost.loss().yamlName() + " from " + start.label());
            }
        }
    }

    @Test
    void theQuadraticCostHasAPlateauWhereTheOutputIsBadlyWrongAndTheCrossEntropyHasNone() {
        SlowdownMap map = SlowdownMap.compute(ARTICLE, 4, 17, 20_000);
        int quadratic = ARTICLE.costs().get(0).loss() == LossKind.QUADRATIC ? 0 : 1;
        int crossEntropy = 1 - quadratic;
        // From the article's slow start (2, 2), output 0.98, out to the corner (4, 4), output 0.9997 (target 0):
        // the quadratic cost's gradient (a - y) a (1 - a) all but vanishes, so the time to halve the cost
        // explodes; the cross-entropy's gradient is the error itself, so its time grows only with the cost.
        int article = map.epochs()[quadratic][12][12];
        int corner = map.epochs()[quadratic][16][16];
        assertEquals(212, article, "the article's slow start, as the DL4J neuron shows it");
        assertTrue(corner > 20 * article, "quadratic: " + corner + " epochs from (4, 4) vs " + article + " from (2, 2)");
        int xArticle = map.epochs()[crossEntropy][12][12];
        int xCorner = map.epochs()[crossEntropy][16][16];
        assertTrue(xCorner > 0 && xCorner < 3 * xArticle, "cross-entropy: " + xCorner + " vs " + xArticle);
        // x = 1: the neuron sees w + b only, so the map is constant along anti-diagonals
        assertEquals(map.epochs()[quadratic][12][8], map.epochs()[quadratic][8][12]);
        assertEquals(List.copyOf(ARTICLE.costs()), map.costs());
    }
}
