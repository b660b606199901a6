package io.atrium.edge.proxy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cheap counters of the data path. {@link #inFlightBodyBytes()} is the number of body bytes the edge has accepted from
 * one side and not yet handed to the other side's socket; it stays bounded by the write-buffer water marks as long as
 * bodies stream with backpressure, and would grow to the full body size if anything aggregated or ignored writability.
 */
public final class ProxyStats {

    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong peakInFlight = new AtomicLong();
    private final LongAdder upstreamConnectionsOpened = new LongAdder();
    private final LongAdder mirrorsDropped = new LongAdder();

    public long inFlightBodyBytes() {
        return inFlight.get();
    }

    /** The highest {@link #inFlightBodyBytes()} seen since start or the last {@link #resetPeak()}. */
    public long peakInFlightBodyBytes() {
        return peakInFlight.get();
    }

    public void resetPeak() {
        peakInFlight.set(inFlight.get());
    }

    /** Upstream TCP connections opened since start (reuse keeps this far below the request count). */
    public long upstreamConnectionsOpened() {
        return upstreamConnectionsOpened.sum();
    }

    /** Data-path hook: body bytes handed to a channel for writing. */
    public void bodyBytesAccepted(int bytes) {
        long now = inFlight.addAndGet(bytes);
        long peak = peakInFlight.get();
        while (now > peak && !peakInFlight.compareAndSet(peak, now)) {
            peak = peakInFlight.get();
        }
    }

    /** Data-path hook: a write of body bytes completed (or failed). */
    public void bodyBytesWritten(int bytes) {
        inFlight.addAndGet(-bytes);
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
