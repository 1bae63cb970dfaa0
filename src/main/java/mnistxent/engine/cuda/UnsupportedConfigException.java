package mnistxent.engine.cuda;

/**
 * A config the CUDA kernels cannot run (too many layers, too large a batch, not enough shared
 * memory, ...). The message is one line that names the limit and the config's value, e.g.
 * "the cuda engine takes batches of at most 64 (the config has 100)".
 */
public final class UnsupportedConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsupportedConfigException(String message) {
        super(message);
    }
}
