package mnistxent.bench;

import mnistxent.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole job (the config's epochs x steps, plus every test evaluation) in a process of its own,
 * as a user runs it: wall time from process start to exit, and its resident memory, sampled every
 * 100 ms: the peak, and the values when the first epoch ends, at mid-run and at the end, to show
 * whether memory stays flat.
 */
public final class FullJobBenchmark {

    private static final Logger log = LoggerFactory.getLogger(FullJobBenchmark.class);
    private static final Pattern BEST = Pattern.compile("^best: (\\d+) / (\\d+)$");
    private static final Pattern EPOCH_DONE = Pattern.compile("^Epoch (\\d+): ");

    /** One full run of one system. */
    public record Run(String system, double wallSeconds, long peakRssBytes, long rssAfterFirstEpochBytes,
                      long rssMidRunBytes, long rssAtEndBytes, int best, int exitCode) {
    }

    private FullJobBenchmark() {
    }

    /**
     * Runs {@code command} to completion. Its stdout must carry the seed script's lines (the
     * {@code best:} line gives the accuracy); its stderr is passed to {@code stderrSink}.
     */
    public static Run run(String system, List<String> command, Path workDir, int midEpoch,
                          Consumer<String> stderrSink) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UserError("cannot start " + command.get(0) + " for " + system + ": " + e.getMessage());
        }
        long pid = p.pid();
        AtomicLong peak = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong afterFirstEpoch = new AtomicLong(-1);
        AtomicLong midRun = new AtomicLong(-1);
        int[] best = {-1};
        Thread out = drain(p.getInputStream(), line -> {
            Matcher m = BEST.matcher(line);
            if (m.matches()) {
                best[0] = Integer.parseInt(m.group(1));
            }
            Matcher epoch = EPOCH_DONE.matcher(line);
            if (epoch.find()) {
                int e = Integer.parseInt(epoch.group(1));
                if (e == 0) {
                    afterFirstEpoch.set(currentRss(pid, last));
                } else if (e == midEpoch) {
                    midRun.set(currentRss(pid, last));
                }
            }
        });
        Thread err = drain(p.getErrorStream(), stderrSink);
        try {
            while (p.isAlive()) {
                sample(pid, peak, last);
                Thread.sleep(100);
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Run(system, wall, peak.get(), afterFirstEpoch.get(), midRun.get(), last.get(), best[0],
                p.exitValue());
    }

    /** The process's RSS now (read at the moment an epoch line arrives), else the last sample. */
    private static long currentRss(long pid, AtomicLong lastSample) {
        return ProcessMemory.rss(pid).orElse(lastSample.get());
    }

    /** Records the process's current RSS, and its kernel-kept peak (VmHWM) when it is higher. */
    private static void sample(long pid, AtomicLong peak, AtomicLong last) {
        OptionalLong rss = ProcessMemory.rss(pid);
        OptionalLong hwm = ProcessMemory.peakRss(pid);
        rss.ifPresent(last::set);
        long high = Math.max(rss.orElse(0), hwm.orElse(0));
        peak.accumulateAndGet(high, Math::max);
    }

    private static Thread drain(InputStream in, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                log.debug("stream closed: {}", e.toString());
            }
        }, "bench-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The command that runs TensorFlow's whole job ({@code tf-reference}'s TfMnistJob), if it is built;
     * {@code threads} null = TF's default thread pools (2 + 2 here), else both pools of that size.
     */
    public static List<String> tensorFlowCommand(Path tfReferenceDir, Path dataDir, String loss, int epochs,
                                                 int steps, int batch, double learningRate, long seed,
                                                 Integer threads) {
        Path jar = tfReferenceDir.resolve("target/mnist-xent-tf-reference.jar");
        Path classpathFile = tfReferenceDir.resolve("target/runtime.classpath");
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(classpathFile)) {
            throw new UserError("the TensorFlow comparison needs tf-reference built (" + jar + "); build it with: "
                    + "mvn -B -f tf-reference/pom.xml package   (mvn -B verify does it too)");
        }
        String classpath;
        try {
            classpath = jar + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
        } catch (IOException e) {
            throw new UserError("cannot read " + classpathFile + ": " + e.getMessage());
        }
        List<String> cmd = new ArrayList<>(List.of(JvmLaunch.javaExecutable(), "-cp", classpath,
                "mnistxent.tfref.TfMnistJob", "--data", dataDir.toString(), "--loss", loss,
                "--epochs", Integer.toString(epochs), "--steps", Integer.toString(steps),
                "--batch", Integer.toString(batch), "--lr", Double.toString(learningRate),
                "--seed", Long.toString(seed)));
        if (threads != null) {
            cmd.addAll(List.of("--threads", threads.toString()));
        }
        return cmd;
    }
}
