package mnistxent.cli;

import mnistxent.data.DataException;
import mnistxent.data.fetch.DataLocator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that repair the MNIST files, as the CLI words a {@link DataException.Remedy}: for the data
 * directory that has the problem ({@code --data-dir}, unless it is the default one), so that the repair
 * reaches the files that were used.
 */
final class DataRepair {

    private DataRepair() {
    }

    /** The message's tail that names the command to run, or nothing. */
    static String hint(DataException e) {
        return switch (e.remedy()) {
            case NONE -> "";
            case FETCH -> "; fetch the MNIST files with: " + command(e.remedy(), e.directory());
            case REFETCH -> "; re-fetch it with: " + command(e.remedy(), e.directory());
            case OTHER_DIRECTORY -> "; keep MNIST elsewhere: --data-dir DIR (or " + DataLocator.ENV + "=DIR)";
        };
    }

    /** {@code data fetch} ({@code --force} to replace damaged files) for {@code dir} (null: the default one). */
    static String command(DataException.Remedy remedy, Path dir) {
        List<String> args = new ArrayList<>(List.of("data", "fetch"));
        if (remedy == DataException.Remedy.REFETCH) {
            args.add("--force");
        }
        if (dir != null && !DataLocator.isDefault(dir)) {
            args.add("--data-dir");
            args.add(dir.toString());
        }
        return CommandHints.app(args);
    }
}
