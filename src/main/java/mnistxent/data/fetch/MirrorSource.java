package mnistxent.data.fetch;

import mnistxent.data.MnistFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP(S) mirror serving {@code <base>/<name>.gz}, as TF's downloader expects (docs/SPEC.md §1).
 *
 * <p>The connect timeout is short because machines without general internet access are common
 * here: a mirror that cannot be reached should fail in seconds, so the npm fallback starts quickly.
 * If a file cannot even be requested, or its transfer stalls, the mirror is abandoned for the other
 * files too.
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
        for (MnistFile f : wanted) {
            fetchOne(client, f, delivery);
        }
    }

    private void fetchOne(HttpClient client, MnistFile f, Delivery delivery) throws IOException {
        URI uri = base.resolve(f.gzName());
        log.info("downloading {}", uri);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + uri);
        } catch (IOException e) {
            // Unreachable (no DNS, refused, timed out): the other files would fail the same way.
            throw new IOException("cannot reach " + uri + ": " + describe(e), e);
        }
        try (BodyStream body = new BodyStream(stall)) {
            response.body().subscribe(body);
            if (response.statusCode() != 200) {
                delivery.fail(f, "HTTP " + response.statusCode() + " for " + uri);
                return;
            }
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            delivery.deliver(f, body, length, uri.toString());
        } catch (Stalled e) {
            // A mirror that stalls once is not worth waiting on for the other files.
            delivery.fail(f, "no data for " + stall.toSeconds() + " s from " + uri);
            throw new IOException("stalled on " + f.gzName() + "; not tried for the other files", e);
        } catch (IOException e) {
            delivery.fail(f, "transfer failed from " + uri + ": " + describe(e));
        }
    }

    /** Thrown when no bytes arrived for the stall time. */
    private static final class Stalled extends IOException {
        private static final long serialVersionUID = 1L;

        Stalled(Duration stall) {
            super("no data for " + stall.toSeconds() + " s");
        }
    }

    /**
     * A response body as an InputStream whose reads give up after the stall time: {@code HttpClient}'s
     * own {@code ofInputStream} can block forever on a connection that stays open but sends nothing.
     * Buffers are requested one list at a time, so memory stays bounded.
     */
    private static final class BodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
        private static final Object END = new Object();

        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final Duration stall;
        private volatile Flow.Subscription subscription;
        private Iterator<ByteBuffer> buffers = Collections.emptyIterator();
        private ByteBuffer current;
        private boolean done;

        BodyStream(Duration stall) {
            this.stall = stall;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            queue.add(item);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onComplete() {
            queue.add(END);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || !current.hasRemaining()) {
                if (buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (done) {
                    return -1;
                }
                Object item;
                try {
                    item = queue.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while downloading");
                }
                if (item == null) {
                    close();
                    throw new Stalled(stall);
                }
                if (item == END) {
                    done = true;
                    return -1;
                }
                if (item instanceof Throwable t) {
                    done = true;
                    throw t instanceof IOException io ? io : new IOException(t);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) item;
                buffers = list.iterator();
                subscription.request(1);
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        @Override
        public void close() {
            Flow.Subscription s = subscription;
            if (s != null && !done) {
                done = true;
                s.cancel();
            }
        }
    }

    /** The exception and its causes on one line, e.g. {@code ConnectException: UnresolvedAddressException}. */
    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        String previous = null;
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause() == t ? null : t.getCause(), depth++) {
            String msg = t.getMessage();
            boolean hasMsg = msg != null && !msg.isBlank() && (t.getCause() == null || !msg.equals(t.getCause().toString()));
            String link = t.getClass().getSimpleName() + (hasMsg ? " (" + msg.strip() + ")" : "");
            if (!link.equals(previous)) { // HttpClient wraps a ConnectException in another
                b.append(b.length() > 0 ? ": " : "").append(link);
            }
            previous = link;
        }
        return b.toString();
    }
}
