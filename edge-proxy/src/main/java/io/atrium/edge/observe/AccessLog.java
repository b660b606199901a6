package io.atrium.edge.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One structured line per exchange on the logger {@code io.atrium.edge.access}. The event loop only enqueues an
 * {@link Entry} (never blocks: when the writer falls behind, lines are dropped and counted as
 * {@code atrium.edge.access_log.dropped}); a background thread turns entries into log events with key-value pairs,
 * which the shared JSON encoder writes as one JSON object per line. Never contains tokens, keys or query strings.
 */
public final class AccessLog implements AutoCloseable {

    public static final String LOGGER = "io.atrium.edge.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final int CAPACITY = 16_384;
    private static final long WRITER_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * One exchange.
     *
     * @param status 0 when the client left before a response
     * @param upstreamNanos -1 when no upstream answered
     * @param upstream the endpoint authority, or null
     * @param consumer the authenticated consumer (or subject), or null
     */
    public record Entry(String requestId, String traceId, String route, String method, String path, String protocol, String clientIp,
                        int status, long durationNanos, long upstreamNanos, String upstream, long bytesIn, long bytesOut, String consumer) {
    }

    /**
     * Lock-free and never signalled: the writer polls every {@link #WRITER_PERIOD_NANOS}, so enqueueing costs the event
     * loop one CAS instead of waking a thread per request.
     */
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final EdgeMetrics metrics;
    private final Thread writer;
    private volatile boolean closed;

    public AccessLog(EdgeMetrics metrics) {
        this.metrics = metrics;
        this.writer = Thread.ofPlatform().daemon().name("atrium-edge-access-log").start(this::drain);
    }

    /** Enqueues an entry; never blocks. */
    public void log(Entry entry) {
        if (size.incrementAndGet() > CAPACITY) {
            size.decrementAndGet();
            metrics.accessLogDropped().increment();
            return;
        }
        queue.offer(entry);
    }

    private void drain() {
        while (true) {
            boolean last = closed; // read before draining, so that nothing enqueued before close() is left behind
            Entry entry;
            while ((entry = queue.poll()) != null) {
                size.decrementAndGet();
                write(entry);
            }
            if (last) {
                return;
            }
            LockSupport.parkNanos(WRITER_PERIOD_NANOS);
        }
    }

    private static void write(Entry e) {
        var event = LOG.atInfo()
                .addKeyValue("request_id", e.requestId())
                .addKeyValue("route", e.route())
                .addKeyValue("method", e.method())
                .addKeyValue("path", e.path())
                .addKeyValue("protocol", e.protocol())
                .addKeyValue("client_ip", e.clientIp())
                .addKeyValue("status", e.status())
                .addKeyValue("duration_ms", e.durationNanos() / 1_000_000.0)
                .addKeyValue("bytes_in", e.bytesIn())
                .addKeyValue("bytes_out", e.bytesOut());
        if (e.traceId() != null) {
            event = event.addKeyValue("trace_id", e.traceId());
        }
        if (e.upstream() != null) {
            event = event.addKeyValue("upstream", e.upstream());
        }
        if (e.upstreamNanos() >= 0) {
            event = event.addKeyValue("upstream_ms", e.upstreamNanos() / 1_000_000.0);
        }
        if (e.consumer() != null) {
            event = event.addKeyValue("consumer", e.consumer());
        }
        event.log("access");
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
