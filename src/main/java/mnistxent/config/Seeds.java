package mnistxent.config;

import java.security.SecureRandom;

/** A config without a seed means "fresh randomness, like TF": one is drawn here and recorded. */
public final class Seeds {

    private static final SecureRandom FRESH = new SecureRandom();

    private Seeds() {
    }

    /** The config itself when it has a seed; otherwise a copy with a newly drawn one. */
    public static ExperimentConfig resolve(ExperimentConfig config) {
        return config.hasSeed() ? config : config.withSeed(FRESH.nextLong() & Long.MAX_VALUE);
    }
}
