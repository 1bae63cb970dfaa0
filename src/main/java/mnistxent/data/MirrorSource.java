package mnistxent.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP(S) mirror serving {@code <base>/<name>.gz}, as TF's downloader expects (docs/SPEC.md §1).
 *
 * <p>The connect timeout is short because machines without general internet access are common
 * here: a mirror that cannot be reached should fail in seconds, so the npm fallback starts quickly.
 * If the first file cannot even be requested, the mirror is abandoned for the other files too.
 * A transfer that stalls (no bytes for {@link #STALL}) is aborted rather than hanging forever.
 */
public final class MirrorSource implements MnistSource {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STALL = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(MirrorSource.class);

    private final URI base;
    private final Duration stall;

    public MirrorSource(URI base) {
        this(base, STALL);
    }

    MirrorSource(URI base, Duration stall) {
        String s = base.toString();
        this.base = s.endsWith("/") ? base : URI.create(s + "/");
        this.stall = stall;
    }

    @Override
    public String describe() {
        return "mirror " + base;
    }

    @Override
    public void fetch(Set<MnistFile> wanted, Delivery delivery) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mnist-xent-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            for (MnistFile f : wanted) {
                fetchOne(client, watchdog, f, delivery);
            }
        } finally {
            watchdog.shutdownNow();
        }
    }

    @SuppressWarnings("try") // the watchdog closes the body from another thread on purpose
    private void fetchOne(HttpClient client, ScheduledExecutorService watchdog, MnistFile f, Delivery delivery)
            throws IOException {
        URI uri = base.resolve(f.gzName());
        log.info("downloading {}", uri);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + uri);
        } catch (IOException e) {
            // Unreachable (no DNS, refused, timed out): the other files would fail the same way.
            throw new IOException("cannot reach " + uri + ": " + describe(e), e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                delivery.fail(f, "HTTP " + response.statusCode() + " for " + uri);
                return;
            }
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            AtomicLong lastRead = new AtomicLong(System.nanoTime());
            InputStream watched = new FilterInputStream(body) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    lastRead.set(System.nanoTime());
                    return n;
                }
            };
            AtomicBoolean stalled = new AtomicBoolean();
            ScheduledFuture<?> guard = watchdog.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastRead.get() > stall.toNanos()) {
                    stalled.set(true);
                    try {
                        body.close(); // wakes the reader, which then sees the stream end early
                    } catch (IOException ignored) {
                        // closing is all we can do
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);
            try {
                boolean ok = delivery.deliver(f, watched, length, uri.toString());
                if (!ok && stalled.get()) {
                    delivery.fail(f, "no data for " + stall.toSeconds() + " s from " + uri);
                }
            } catch (IOException e) {
                delivery.fail(f, (stalled.get() ? "no data for " + stall.toSeconds() + " s from " : "transfer failed from ")
                        + uri + ": " + describe(e));
            } finally {
                guard.cancel(false);
            }
        }
    }

    /** The exception and its causes on one line, e.g. {@code ConnectException: UnresolvedAddressException}. */
    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 4; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (b.length() > 0) {
                b.append(": ");
            }
            b.append(t.getClass().getSimpleName());
            String msg = t.getMessage();
            if (msg != null && !msg.isBlank() && (t.getCause() == null || !msg.equals(t.getCause().toString()))) {
                b.append(" (").append(msg.strip()).append(')');
            }
        }
        return b.toString();
    }
}
