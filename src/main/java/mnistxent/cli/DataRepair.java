package mnistxent.cli;

import mnistxent.data.DataException;

/** The commands that repair the MNIST files, as the CLI words a {@link DataException.Remedy}. */
final class DataRepair {

    static final String FETCH_COMMAND = "mvn exec:java -Dexec.args=\"data fetch\"";
    static final String REFETCH_COMMAND = "mvn exec:java -Dexec.args=\"data fetch --force\"";

    private DataRepair() {
    }

    /** The message's tail that names the command to run, or nothing. */
    static String hint(DataException.Remedy remedy) {
        return switch (remedy) {
            case NONE -> "";
            case FETCH -> "; fetch the MNIST files with: " + FETCH_COMMAND;
            case REFETCH -> "; re-fetch it with: " + REFETCH_COMMAND;
        };
    }
}
