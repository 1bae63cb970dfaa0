package mnistxent.cli;

import mnistxent.ProjectVersion;
import picocli.CommandLine;

/** {@code --version}: the project's version (from the jar manifest or the build) and DL4J's. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[]{"mnist-xent " + ProjectVersion.get() + " (Deeplearning4j " + ProjectVersion.dl4j() + ")"};
    }
}
