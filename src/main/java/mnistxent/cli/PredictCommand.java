package mnistxent.cli;

import mnistxent.UserError;
import mnistxent.config.ExperimentConfig;
import mnistxent.config.MnistShape;
import mnistxent.data.MnistData;
import mnistxent.data.fetch.MnistFetcher;
import mnistxent.data.images.DigitImages;
import mnistxent.engine.Backend;
import mnistxent.inference.Prediction;
import mnistxent.inference.Predictor;
import mnistxent.run.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code predict}: the digit a saved model sees in images, or in MNIST test images. */
@Command(name = "predict",
        header = "Classify pictures of digits (or MNIST test images) with a saved model.", mixinStandardHelpOptions = true,
        description = {
                "Prints, for each input, the predicted digit and the ten outputs a3[0..9]",
                "(image FILEs first, then the --index test images). Images (PNG, JPEG,",
                "PGM P2/P5, any size) are made 28x28 gray like MNIST: a white digit on black",
                "(--invert for black on white), padded to a square, averaged down by area,",
                "scaled as TF scales MNIST."})
public final class PredictCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Images to classify.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--index", paramLabel = "N", description = "Classify MNIST test image N (0-9999) and show its "
            + "label; may be repeated.")
    List<Integer> indices = new ArrayList<>();

    @Option(names = "--invert", description = "The images are black on white (ink on paper): invert them.")
    boolean invert;

    @Mixin
    RunOverrides.DataDir data;

    @Override
    public Integer call() {
        if (files.isEmpty() && indices.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give image FILEs or --index N");
        }
        Backend.detect();
        ModelFile.Loaded loaded = model.load();
        DigitImages.Polarity polarity = invert ? DigitImages.Polarity.BLACK_ON_WHITE
                : DigitImages.Polarity.WHITE_ON_BLACK;
        List<Predictor.Input> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(new Predictor.Input(f.toString(), DigitImages.load(f, polarity), -1));
        }
        if (!indices.isEmpty()) {
            ExperimentConfig config = data.applyTo(model.config(loaded, null));
            MnistData mnist = MnistFetcher.load(config.data());
            for (int n : indices) {
                if (n < 0 || n >= mnist.testImageCount()) {
                    throw new UserError("--index " + n + " is outside the test set; give 0.."
                            + (mnist.testImageCount() - 1));
                }
                byte[] pixels = Arrays.copyOfRange(mnist.testPixels(), n * MnistShape.PIXELS,
                        (n + 1) * MnistShape.PIXELS);
                inputs.add(new Predictor.Input("test[" + n + "]", pixels, mnist.testLabel(n)));
            }
        } else if (model.config != null) {
            model.config(loaded, null);        // an explicit --config must still match the model
        }
        List<Prediction> predictions = Predictor.predict(loaded.network(), inputs);
        int width = Math.max("input".length(), predictions.stream().mapToInt(Prediction::inputWidth).max().orElse(0));
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format("%-" + width + "s  digit  outputs a3[0..9]", "input"));
        predictions.forEach(p -> out.println(p.line(width)));
        out.flush();
        return 0;
    }
}
