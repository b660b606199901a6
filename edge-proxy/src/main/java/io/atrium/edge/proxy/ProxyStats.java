package io.atrium.edge.proxy;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cheap counters of the data path. {@link #inFlightBodyBytes()} is the number of body bytes the edge has accepted from
 * one side and not yet handed to the other side's socket; it stays bounded by the write-buffer water marks as long as
 * bodies stream with backpressure, and would grow to the full body size if anything aggregated or ignored writability.
 *
 * <p>The body-byte counters are kept per I/O thread (a client connection and its upstream connection share one), so the
 * data path never writes a memory location another core also writes; readers add them up.
 */
public final class ProxyStats {

    /** One I/O thread's body-byte counters: written by that thread only (ordered stores), read by anyone. */
    private static final class LoopCounters {
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong peak = new AtomicLong();
    }

    private final List<LoopCounters> loops = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<LoopCounters> local = new FastThreadLocal<>() {
        @Override
        protected LoopCounters initialValue() {
            LoopCounters counters = new LoopCounters();
            loops.add(counters);
            return counters;
        }
    };
    private final LongAdder upstreamConnectionsOpened = new LongAdder();
    private final LongAdder mirrorsDropped = new LongAdder();

    public long inFlightBodyBytes() {
        long sum = 0;
        for (LoopCounters counters : loops) {
            sum += counters.inFlight.get();
        }
        return sum;
    }

    /**
     * An upper bound of the highest {@link #inFlightBodyBytes()} since start or the last {@link #resetPeak()}: the sum
     * of each I/O thread's own peak.
     */
    public long peakInFlightBodyBytes() {
        long sum = 0;
        for (LoopCounters counters : loops) {
            sum += counters.peak.get();
        }
        return sum;
    }

    public void resetPeak() {
        for (LoopCounters counters : loops) {
            counters.peak.set(counters.inFlight.get());
        }
    }

    /** Upstream TCP connections opened since start (reuse keeps this far below the request count). */
    public long upstreamConnectionsOpened() {
        return upstreamConnectionsOpened.sum();
    }

    /** Data-path hook: body bytes handed to a channel for writing. */
    public void bodyBytesAccepted(int bytes) {
        LoopCounters counters = local.get();
        long now = counters.inFlight.get() + bytes;
        counters.inFlight.lazySet(now);
        if (now > counters.peak.get()) {
            counters.peak.lazySet(now);
        }
    }

    /** Data-path hook: a write of body bytes completed (or failed); called on the thread that accepted them. */
    public void bodyBytesWritten(int bytes) {
        LoopCounters counters = local.get();
        counters.inFlight.lazySet(counters.inFlight.get() - bytes);
    }

    /** Mirrored request copies dropped because too many were in flight on their I/O thread. */
    public long mirrorsDropped() {
        return mirrorsDropped.sum();
    }

    /** Data-path hook. */
    public void mirrorDropped() {
        mirrorsDropped.increment();
    }

    /** Data-path hook. */
    public void upstreamConnectionOpened() {
        upstreamConnectionsOpened.increment();
    }
}
