package io.atrium.policy.log;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Per-request log lines written off the event loop: the request path only enqueues an entry (one CAS, never blocks,
 * never wakes a thread); a daemon thread polls every 20 ms and hands each entry to {@code write} (which logs it).
 * When the writer falls behind by {@code capacity} entries, new ones are dropped and {@code dropped} is told, so a
 * slow log never slows requests. {@link #close()} writes what is queued, then stops.
 *
 * @param <E> an immutable entry (a record of what happened; formatting happens on the writer thread)
 */
public final class BackgroundLog<E> implements AutoCloseable {
    private static final long WRITER_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private final Consumer<E> write;
    private final Runnable dropped;
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param name     the writer thread's name
     * @param capacity entries queued at most
     * @param write    logs one entry (on the writer thread; must not throw)
     * @param dropped  called on the request path for each entry dropped (count it)
     */
    public BackgroundLog(String name, int capacity, Consumer<E> write, Runnable dropped) {
        this.capacity = capacity;
        this.write = Objects.requireNonNull(write, "write");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.writer = Thread.ofPlatform().daemon().name(name).start(this::drain);
    }

    /** Enqueues an entry; never blocks. */
    public void log(E entry) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.run();
            return;
        }
        queue.offer(entry);
    }

    private void drain() {
        while (true) {
            boolean last = closed; // read before draining, so that nothing enqueued before close() is left behind
            E entry;
            while ((entry = queue.poll()) != null) {
                size.decrementAndGet();
                try {
                    write.accept(entry);
                } catch (RuntimeException e) {
                    // a broken entry must not stop the writer; the log backend reports its own failures
                }
            }
            if (last) {
                return;
            }
            LockSupport.parkNanos(WRITER_PERIOD_NANOS);
        }
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
